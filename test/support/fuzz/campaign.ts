/**
 * One fuzzing campaign: a random world of tables from a seed, then random
 * queries over it through fast-check, which shrinks the first failing query
 * to a small one. Used by the fixed-seed test and by `npm run fuzz`.
 */
import fc from "fast-check";
import { worldArb } from "./tables.ts";
import type { FuzzTable } from "./tables.ts";
import { generateQuery } from "./queries.ts";
import type { FuzzQuery } from "./queries.ts";
import { loadWorld, regressionOf, runQuery } from "./differential.ts";
import type { Regression } from "./differential.ts";

export interface CampaignResult {
  seed: number;
  queries: number;
  /** Queries both engines refused (overflow and the like), counted as agreement. */
  bothFailed: number;
  failure: Regression | null;
}

/** The world of tables for a seed. */
export function worldOf(seed: number): FuzzTable[] {
  return fc.sample(worldArb, { seed, numRuns: 1 })[0]!;
}

// Unbiased, full-length choice lists: fast-check's bias toward small values would pick the first option everywhere.
const choicesArb = fc.array(fc.noBias(fc.nat({ max: 10_000 })), { minLength: 0, maxLength: 200, size: "max" });

/** Runs `queries` random queries over the seed's world; stops at the first disagreement, shrunk. */
export async function runCampaign(seed: number, queries: number): Promise<CampaignResult> {
  const tables = worldOf(seed);
  const engines = await loadWorld(tables);
  let ran = 0, bothFailed = 0, failing = false;
  let last: { query: FuzzQuery; difference: string } | null = null;
  try {
    const details = await fc.check(fc.asyncProperty(choicesArb, async (choices) => {
      const query = generateQuery(tables, choices);
      const verdict = await runQuery(engines, query);
      if (!failing) { ran++; if (verdict.bothFailed) bothFailed++; }
      if (!verdict.agreed) { failing = true; last = { query, difference: verdict.difference! }; }
      return verdict.agreed;
    }), { seed, numRuns: queries, maxSkipsPerRun: 0 });
    if (!details.failed) return { seed, queries: ran, bothFailed, failure: null };
    // The last failing run is the shrunk counterexample; rerun it to report its own difference.
    const [choices] = details.counterexample!;
    const query = generateQuery(tables, choices);
    const verdict = await runQuery(engines, query);
    const difference = verdict.difference ?? (last as { difference: string } | null)?.difference ?? "flaky: agreed when rerun";
    return { seed, queries: ran, bothFailed, failure: regressionOf(seed, tables, query, difference) };
  } finally {
    await engines.stop();
  }
}
