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
  let ran = 0, bothFailed = 0;
  // fast-check shrinks by rerunning smaller candidates; the last one that failed is the shrunk counterexample.
  const failures: { query: FuzzQuery; difference: string }[] = [];
  try {
    const details = await fc.check(fc.asyncProperty(choicesArb, async (choices) => {
      const query = generateQuery(tables, choices);
      const verdict = await runQuery(engines, query);
      if (!failures.length) { ran++; if (verdict.bothFailed) bothFailed++; }
      if (!verdict.agreed) failures.push({ query, difference: verdict.difference! });
      return verdict.agreed;
    }), { seed, numRuns: queries, maxSkipsPerRun: 0 });
    const shrunk = failures.at(-1);
    if (!details.failed || !shrunk) return { seed, queries: ran, bothFailed, failure: null };
    return { seed, queries: ran, bothFailed, failure: regressionOf(seed, tables, shrunk.query, shrunk.difference) };
  } finally {
    await engines.stop();
  }
}
