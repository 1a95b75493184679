/** `npm run demo` (demo/console.ts) runs to the end and prints DuckDB's answers for the bundled data, even with an executor killed mid-job. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { duckRows } from "../support/duckdb-oracle.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("npm run demo (the console job)", () => {
  it("prints the borough table twice (local and on executors) with DuckDB's counts, and recovers from the killed executor", async () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "demo/console.ts", "--executors", "2"], { cwd: root, encoding: "utf8", timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const expected = await duckRows(`SELECT z.borough, count(*) FROM '${root}demo/data/trips.parquet' t
      JOIN '${root}demo/data/zones.parquet' z ON t.pickup_zone = z.zone_id GROUP BY z.borough`);
    for (const [borough, trips] of expected) {
      const line = new RegExp(`\\|\\s*${borough}\\|\\s*${Number(trips)}\\|`, "g");
      assert.equal(run.stdout.match(line)?.length, 2, `${borough} with ${trips} trips, in:\n${run.stdout}`);
    }
    assert.match(run.stdout, /was killed mid-job/);
  });
});
