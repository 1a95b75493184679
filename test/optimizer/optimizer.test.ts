import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, sum, count } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import { optimizeWithStats, DEFAULT_RULES } from "../../src/optimizer/optimizer.ts";
import type { OptimizerRule } from "../../src/optimizer/rule.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { normalizeIds, tree } from "./plan-text.ts";

describe("optimizer runner and default rules", () => {
  const session = new Session();
  let facts: DataFrame, dims: DataFrame;
  before(async () => { ({ facts, dims } = await loadTables(session, ["facts", "dims"]) as { facts: DataFrame; dims: DataFrame }); });

  const queries = (): DataFrame[] => [
    facts.filter(col("v").gt(10)).join(dims, "k").filter(col("grp").eq(2)).select("id", "name").limit(5),
    facts.select(col("k").plus(1).alias("k1"), col("v")).union(dims.select(col("k"), col("grp").cast("double").alias("g"))).filter(col("k1").gt(3)).groupBy("k1").agg(count("*").alias("n")),
    facts.withColumn("w", col("v").multiply(2)).withColumn("w2", col("w").plus(1)).filter(col("w2").gt(50)).orderBy("id").select("id", "w2").limit(10),
  ];

  it("reaches a fixed point on realistic plans and is idempotent", () => {
    for (const df of queries()) {
      const result = optimizeWithStats(df.plan);
      assert.ok(result.converged, `no fixed point: ${result.applied.join(", ")}`);
      assert.equal(optimizeWithStats(result.plan).plan, result.plan, "a second run must change nothing");
    }
  });

  it("shows the optimized plan in explain()", () => {
    const text = facts.filter(col("v").gt(10)).select(col("id"), col("v").plus(1).alias("v1")).filter(col("id").lt(5)).explain();
    const section = text.split("== Optimized Logical Plan ==\n")[1]!.split("\n== Physical Plan ==")[0]!;
    assert.equal(normalizeIds(section), tree(`
      Project [id#1, (v#2 + 1) AS v1#3]
      +- Filter ((v#2 > 10) AND (id#1 < 5))
         +- Scan memory:t1 [id#1, v#2]
    `));
  });

  it("stops at the iteration cap on a rule that never settles, instead of hanging", () => {
    const restless: OptimizerRule = { name: "restless", rewrite: (p: LogicalPlan) => (p.type === "Scan" ? { ...p } : p) };
    const result = optimizeWithStats(facts.plan, [restless]);
    assert.equal(result.converged, false);
    assert.equal(result.iterations, 100);
  });

  it("fails loudly when a rule changes the query's output columns", () => {
    const dropper: OptimizerRule = { name: "dropper", rewrite: (p: LogicalPlan) => (p.type === "Project" ? p.input : p) };
    assert.throws(() => optimizeWithStats(facts.select("id").plan, [dropper]), (e: unknown) => (e as { code?: string }).code === "INTERNAL");
  });

  it("runs set-operation replacement by default (the physical planner needs it)", () => {
    assert.ok(DEFAULT_RULES.some((r) => r.name === "replace_set_operations"));
  });

  it("gives the same results as DuckDB with every rule on", async () => {
    const [joinLimit, unionAgg, chain] = queries();
    const joined = await joinLimit!.collectArrays();
    assert.equal(joined.length, 5);
    const allJoined = await duckRows("SELECT f.id, d.name FROM facts f JOIN dims d ON f.k = d.k WHERE f.v > 10 AND d.grp = 2");
    const valid = new Set(allJoined.map((r) => JSON.stringify(r)));
    for (const r of joined) assert.ok(valid.has(JSON.stringify(r)), `unexpected row ${JSON.stringify(r)}`);
    assertRowsEqual(await unionAgg!.collectArrays(), await duckRows(
      "SELECT k1, count(*) FROM (SELECT k + 1 AS k1, v FROM facts UNION ALL SELECT k, grp::DOUBLE FROM dims) WHERE k1 > 3 GROUP BY k1"));
    assertRowsEqual(await chain!.collectArrays(), await duckRows(
      "SELECT id, v * 2 + 1 FROM facts WHERE v * 2 + 1 > 50 ORDER BY id LIMIT 10"), { ordered: true });
    assertRowsEqual(
      await facts.groupBy("g").agg(sum("v").alias("sv")).filter(col("g").lt(3)).join(dims, col("g").eq(dims.col("grp")), "left").select("g", "sv", "name").collectArrays(),
      await duckRows("SELECT a.g, a.sv, d.name FROM (SELECT g, sum(v) AS sv FROM facts GROUP BY g HAVING g < 3) a LEFT JOIN dims d ON a.g = d.grp"));
  });
});
