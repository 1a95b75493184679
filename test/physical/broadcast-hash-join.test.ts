/**
 * The broadcast hash join builds its hash table once per broadcast and
 * shares it between probe tasks (keyed by the broadcast and the build
 * keys). Checked against DuckDB: a fact table in many partitions joined to
 * a broadcast dimension, and two joins on different keys over the very same
 * broadcast exchange in one plan, so a table built for one key set must not
 * be reused for the other.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import type { PhysicalPlan } from "../../src/physical/physical-plan.ts";
import { runLocally } from "../../src/executor/local-executor.ts";
import { valueAt } from "../../src/exec/values.ts";
import { dataFrameFromParquet } from "../support/datasets.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const TABLES = {
  bf: `SELECT i::INTEGER AS id, CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 40)::INTEGER END AS k, (i % 7)::INTEGER AS g FROM range(5000) t(i)`,
  bd: `SELECT i::INTEGER AS dk, (i % 5)::INTEGER AS grp, 'd' || i::VARCHAR AS name FROM range(30) t(i)`,
};

describe("broadcast hash join", () => {
  const session = new Session();
  const dfs: Record<string, DataFrame> = {};
  before(async () => {
    for (const [name, sql] of Object.entries(TABLES)) {
      const { path, bytes } = await duckToParquet(name, sql);
      await duckRun(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${path}')`);
      dfs[name] = dataFrameFromParquet(session, bytes, name === "bf" ? 9 : 1);
      dfs[name].createOrReplaceTempView(name);
    }
  });

  it("probes one shared build table from every partition of the fact side", async () => {
    for (const how of ["JOIN", "LEFT JOIN"]) {
      const sql = `SELECT f.id, d.name FROM bf f ${how} bd d ON f.k = d.dk`;
      const df = session.sql(sql);
      assert.match(df.explain(true).split("== Physical Plan ==")[1]!, /BroadcastHashJoinExec/);
      assertRowsEqual(await df.collectArrays(), await duckRows(sql), { message: how });
    }
  });

  it("keeps tables for different keys over the same broadcast apart", async () => {
    const df = session.sql("SELECT f.id, f.k, f.g, d.dk, d.grp FROM bf f JOIN bd d ON f.k = d.dk");
    const p1 = session.planPhysical(session.optimize(df.plan));
    // Find the broadcast hash join under the projections, then a second join on (g = grp) over the same exchange node.
    let join: PhysicalPlan = p1;
    while (join.type !== "HashJoinExec") {
      assert.ok("input" in join, `no HashJoinExec in ${join.type}`);
      join = join.input;
    }
    assert.ok(join.broadcast && join.right.type === "BroadcastExchangeExec");
    const ref = (side: PhysicalPlan, name: string) => {
      const index = side.schema.findIndex((f) => f.name === name);
      return { type: "boundRef" as const, index, dataType: side.schema[index]!.type, nullable: side.schema[index]!.nullable };
    };
    const second: PhysicalPlan = { ...join, leftKeys: [ref(join.left, "g")], rightKeys: [ref(join.right, "grp")] };
    const union: PhysicalPlan = { type: "UnionExec", inputs: [join, second], schema: join.schema };
    const { partitions } = await runLocally(union, session.sources, session.conf.toJSON());
    const names = join.schema.map((f) => f.name);
    const rows = partitions.flat().flatMap((b) => Array.from({ length: b.numRows }, (_, i) => b.columns.map((c) => valueAt(c, i))));
    const pick = ["id", "k", "g", "dk", "grp"].map((n) => names.indexOf(n));
    const expected = await duckRows(`SELECT f.id, f.k, f.g, d.dk, d.grp FROM bf f JOIN bd d ON f.k = d.dk
      UNION ALL SELECT f.id, f.k, f.g, d.dk, d.grp FROM bf f JOIN bd d ON f.g = d.grp`);
    assertRowsEqual(rows.map((r) => pick.map((i) => r[i])), expected);
  });
});
