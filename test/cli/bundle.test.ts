/**
 * The built `cinder` (one esbuild bundle per Node entry, written by
 * `npm run build`, which `npm test` runs first): it answers a bare
 * `select 1`, and a query on two worker-thread executors (whose entry is
 * bundled too) over the demo's Parquet equals DuckDB's answer on the same
 * file. The bundle must provide the worker-thread backend itself: the
 * lookup the unbundled dist/ uses does not resolve from the bundle.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const bundle = "dist/src/cli/main.js";

function cinder(...args: string[]): { columns: string[]; rows: unknown[][] } {
  assert.ok(existsSync(bundle), `${bundle} is missing: run \`npm run build:lib\` first (npm test does)`);
  const r = spawnSync(process.execPath, [bundle, "sql", ...args, "--format", "json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { columns: string[]; rows: unknown[][] };
}

describe("the bundled cinder command", () => {
  it("answers select 1", () => {
    assert.deepEqual(cinder("select 1").rows, [[1]]);
  });

  it("runs a group-by on two worker-thread executors with DuckDB's answer", async () => {
    const sql = "select payment, count(*) n, round(sum(fare), 2) f from trips group by payment";
    const { rows } = cinder(sql, "--tables", "demo/data", "--workers", "2", "--conf", "shuffle.partitions=4");
    assertRowsEqual(rows, await duckRows(sql.replace("from trips", "from 'demo/data/trips.parquet'")));
  });
});
