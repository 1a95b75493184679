/**
 * Differential testing against DuckDB: a fixed-seed run of random tables
 * and 1,200 random queries (joins, group-bys, windows, set operations,
 * subqueries, CTEs, ORDER BY/LIMIT/OFFSET), each on Cinder in process and
 * on 2 executors with shuffled joins, compared with DuckDB on the same
 * Parquet files. Then every saved regression (test/fuzz/regressions/, the
 * shrunk failures of earlier runs) replays. `npm run fuzz` runs longer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCampaign } from "../support/fuzz/campaign.ts";
import { loadWorld, runQuery } from "../support/fuzz/differential.ts";
import type { Regression } from "../support/fuzz/differential.ts";

const SEEDS = [11, 22, 33, 44, 55, 66];
const QUERIES_PER_SEED = 200;

describe("differential fuzzing against DuckDB (fixed seeds)", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${QUERIES_PER_SEED} queries agree`, async () => {
      const result = await runCampaign(seed, QUERIES_PER_SEED);
      if (result.failure) {
        assert.fail(`seed ${seed}: the query (shrunk) disagrees with DuckDB\n  spark: ${result.failure.query.spark}\n  duckdb: ${result.failure.query.duck}\n${result.failure.difference}`);
      }
      assert.equal(result.queries, QUERIES_PER_SEED);
    });
  }
});

const regressionDir = join(import.meta.dirname, "regressions");
const saved = readdirSync(regressionDir).filter((f) => f.endsWith(".json")).sort();

describe("saved fuzz regressions", () => {
  for (const file of saved) {
    it(file, async () => {
      const regression = JSON.parse(readFileSync(join(regressionDir, file), "utf8")) as Regression;
      const engines = await loadWorld(regression.tables);
      try {
        const verdict = await runQuery(engines, regression.query);
        assert.ok(verdict.agreed, `${regression.query.spark}\n${verdict.difference}`);
      } finally { await engines.stop(); }
    });
  }
});
