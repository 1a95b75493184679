/**
 * Long differential fuzzing runs against DuckDB (the fixed-seed run in
 * `npm test` is the short one): `npm run fuzz -- --minutes 30 --seed 1`.
 * Runs campaigns of random tables and queries from the seed upward until
 * the time is up; each disagreement, shrunk by fast-check, is saved under
 * test/fuzz/regressions/ where `npm test` replays it from then on.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { runCampaign } from "../test/support/fuzz/campaign.ts";
import { saveRegression } from "../test/support/fuzz/differential.ts";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    queries: { type: "string", default: "500" },
  },
});
const minutes = Number(values.minutes), firstSeed = Number(values.seed), perSeed = Number(values.queries);
if (!(minutes > 0) || !Number.isInteger(firstSeed) || !(perSeed > 0)) {
  console.error("usage: npm run fuzz -- [--minutes N] [--seed S] [--queries PER_WORLD]");
  process.exit(2);
}

const deadline = Date.now() + minutes * 60_000;
const regressions = join(import.meta.dirname, "..", "test", "fuzz", "regressions");
let worlds = 0, queries = 0, bothFailed = 0, failures = 0;
const started = Date.now();
for (let seed = firstSeed; Date.now() < deadline; seed++) {
  const result = await runCampaign(seed, perSeed);
  worlds++; queries += result.queries; bothFailed += result.bothFailed;
  if (result.failure) {
    failures++;
    const path = saveRegression(regressions, result.failure);
    console.log(`seed ${seed}: DISAGREES (saved ${path})\n  spark: ${result.failure.query.spark}\n  duckdb: ${result.failure.query.duck}\n  ${result.failure.difference.replaceAll("\n", "\n  ")}`);
  } else {
    console.log(`seed ${seed}: ${result.queries} queries agree (${result.bothFailed} refused by both)`);
  }
}
const elapsed = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`fuzz: ${worlds} worlds, ${queries} queries, ${bothFailed} refused by both engines, ${failures} disagreements in ${elapsed} min (seeds ${firstSeed}..${firstSeed + worlds - 1})`);
process.exit(failures ? 1 : 0);
