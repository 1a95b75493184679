import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, count, sum } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { pruneColumns } from "../../src/optimizer/prune-columns.ts";
import { optimize } from "../../src/optimizer/optimizer.ts";
import { outputSchema } from "../../src/plan/logical-plan.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

const RULES = [pruneColumns];

describe("prune columns", () => {
  const session = new Session();
  let facts: DataFrame, dims: DataFrame;
  before(async () => { ({ facts, dims } = await loadTables(session, ["facts", "dims"]) as { facts: DataFrame; dims: DataFrame }); });

  it("narrows the scan to the columns the plan reads, filters included", () => {
    assertRewrite(facts.filter(col("k").gt(3)).select("id"), RULES, `
      Project [id#1]
      +- Filter (k#2 > 3)
         +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `, `
      Project [id#1]
      +- Filter (k#2 > 3)
         +- Scan memory:t1 [id#1, k#2]
    `);
  });

  it("drops Project expressions nobody reads", () => {
    const df = facts.select(col("id"), col("k").plus(1).alias("k1"), col("v").multiply(2).alias("v2")).select("id", "k1");
    assertRewrite(df, RULES, `
      Project [id#1, k1#2]
      +- Project [id#1, (k#3 + 1) AS k1#2, (v#4 * CAST(2 AS float64)) AS v2#5]
         +- Scan memory:t1 [id#1, k#3, v#4, s#6, d#7, p#8, g#9]
    `, `
      Project [id#1, k1#2]
      +- Project [id#1, (k#3 + 1) AS k1#2]
         +- Scan memory:t1 [id#1, k#3]
    `);
  });

  it("keeps one narrow column when nothing is read (count(*)), and all aggregate outputs", () => {
    assertRewrite(facts.agg(count("*").alias("n")), RULES, `
      Aggregate [], [count(*) AS n#1]
      +- Scan memory:t1 [id#2, k#3, v#4, s#5, d#6, p#7, g#8]
    `, `
      Aggregate [], [count(*) AS n#1]
      +- Scan memory:t1 [id#2]
    `);
  });

  it("puts a narrowing Project on a join input that carries unread columns, below a broadcast hint", () => {
    assertRewrite(facts.filter(col("v").gt(10)).join(dims, "k").select("id", "name"), RULES, `
      Project [id#1, name#2]
      +- Project [k#3, id#1, v#4, s#5, d#6, p#7, g#8, name#2, grp#9]
         +- Join inner, (k#3 = k#10)
            +- Filter (v#4 > CAST(10 AS float64))
               +- Scan memory:t1 [id#1, k#3, v#4, s#5, d#6, p#7, g#8]
            +- Scan memory:t2 [k#10, name#2, grp#9]
    `, `
      Project [id#1, name#2]
      +- Project [id#1, name#2]
         +- Join inner, (k#3 = k#4)
            +- Project [id#1, k#3]
               +- Filter (v#5 > CAST(10 AS float64))
                  +- Scan memory:t1 [id#1, k#3, v#5]
            +- Scan memory:t2 [k#4, name#2]
    `);
    assertRewrite(facts.join(dims.filter(col("grp").eq(1)).hint("broadcast"), "k").select("id"), RULES, `
      Project [id#1]
      +- Project [k#2, id#1, v#3, s#4, d#5, p#6, g#7, name#8, grp#9]
         +- Join inner, (k#2 = k#10)
            +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
            +- ResolvedHint broadcast
               +- Filter (grp#9 = 1)
                  +- Scan memory:t2 [k#10, name#8, grp#9]
    `, `
      Project [id#1]
      +- Project [id#1]
         +- Join inner, (k#2 = k#3)
            +- Scan memory:t1 [id#1, k#2]
            +- ResolvedHint broadcast
               +- Project [k#3]
                  +- Filter (grp#4 = 1)
                     +- Scan memory:t2 [k#3, grp#4]
    `);
  });

  it("puts a Project of just what an aggregate reads over a join below it (nothing for count(*))", () => {
    assertRewrite(facts.join(dims, facts.col("k").eq(dims.col("k"))).agg(count("*").alias("n")), RULES, `
      Aggregate [], [count(*) AS n#1]
      +- Join inner, (k#2 = k#3)
         +- Scan memory:t1 [id#4, k#2, v#5, s#6, d#7, p#8, g#9]
         +- Scan memory:t2 [k#3, name#10, grp#11]
    `, `
      Aggregate [], [count(*) AS n#1]
      +- Project []
         +- Join inner, (k#2 = k#3)
            +- Scan memory:t1 [k#2]
            +- Scan memory:t2 [k#3]
    `);
    // A USING join's own Project keeps a column for the row count; under an aggregate it need not.
    assertRewrite(facts.join(dims, "k").groupBy("grp").agg(sum("v").alias("sv")), RULES, `
      Aggregate [grp#1], [grp#1, sum(v#2) AS sv#3]
      +- Project [k#4, id#5, v#2, s#6, d#7, p#8, g#9, name#10, grp#1]
         +- Join inner, (k#4 = k#11)
            +- Scan memory:t1 [id#5, k#4, v#2, s#6, d#7, p#8, g#9]
            +- Scan memory:t2 [k#11, name#10, grp#1]
    `, `
      Aggregate [grp#1], [grp#1, sum(v#2) AS sv#3]
      +- Project [v#2, grp#1]
         +- Join inner, (k#4 = k#5)
            +- Scan memory:t1 [k#4, v#2]
            +- Scan memory:t2 [k#5, grp#1]
    `);
  });

  it("prunes Union inputs by position, keeping the same positions in every input", () => {
    const df = facts.select("id", "k", "s").union(dims.filter(col("grp").eq(1)).select("k", "grp", "name")).select("s");
    assertRewrite(df, RULES, `
      Project [s#1]
      +- Union
         +- Project [id#2, k#3, s#1]
            +- Scan memory:t1 [id#2, k#3, v#4, s#1, d#5, p#6, g#7]
         +- Project [k#8, grp#9, name#10]
            +- Filter (grp#9 = 1)
               +- Scan memory:t2 [k#8, name#10, grp#9]
    `, `
      Project [s#1]
      +- Union
         +- Project [s#1]
            +- Scan memory:t1 [s#1]
         +- Project [name#2]
            +- Filter (grp#3 = 1)
               +- Scan memory:t2 [name#2, grp#3]
    `);
  });

  it("keeps every column below a Distinct, and narrows a sort input", () => {
    assertRewrite(facts.select("k", "g").distinct().select("k"), RULES, `
      Project [k#1]
      +- Distinct
         +- Project [k#1, g#2]
            +- Scan memory:t1 [id#3, k#1, v#4, s#5, d#6, p#7, g#2]
    `, `
      Project [k#1]
      +- Distinct
         +- Project [k#1, g#2]
            +- Scan memory:t1 [k#1, g#2]
    `);
    assertRewrite(facts.filter(col("v").gt(1)).orderBy("k").select("id"), RULES, `
      Project [id#1]
      +- Sort [k#2 ASC NULLS FIRST]
         +- Filter (v#3 > CAST(1 AS float64))
            +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `, `
      Project [id#1]
      +- Sort [k#2 ASC NULLS FIRST]
         +- Project [id#1, k#2]
            +- Filter (v#3 > CAST(1 AS float64))
               +- Scan memory:t1 [id#1, k#2, v#3]
    `);
  });

  it("never changes the root's output", () => {
    for (const df of [facts, facts.filter(col("k").gt(3)), facts.join(dims, "k", "left"), facts.select("s", "id").union(facts.select("s", "id"))]) {
      const optimized = optimize(df.plan);
      assert.deepEqual(outputSchema(optimized).map((f) => [f.id, f.name]), df.schema.map((f) => [f.id, f.name]));
    }
  });

  it("gives the same results as DuckDB", async () => {
    assertRowsEqual(await facts.filter(col("k").gt(3)).select("id").collectArrays(), await duckRows("SELECT id FROM facts WHERE k > 3"));
    assertRowsEqual(
      await facts.select("id", "k", "s").union(dims.filter(col("grp").eq(1)).select("k", "grp", "name")).select("s").collectArrays(),
      await duckRows("SELECT s FROM (SELECT id, k, s FROM facts UNION ALL SELECT k, grp, name FROM dims WHERE grp = 1)"));
    assert.equal(await facts.union(facts).count(), 4000);
    assertRowsEqual(
      await facts.filter(col("v").gt(10)).join(dims, "k").select("id", "name").collectArrays(),
      await duckRows("SELECT f.id, d.name FROM facts f JOIN dims d ON f.k = d.k WHERE f.v > 10"));
    assertRowsEqual(
      await facts.select("k", "g").distinct().select("k").collectArrays(),
      await duckRows("SELECT k FROM (SELECT DISTINCT k, g FROM facts)"));
    assertRowsEqual(
      await facts.groupBy("g").agg(sum("p").alias("sp")).collectArrays(),
      await duckRows("SELECT g, sum(p) FROM facts GROUP BY g"));
    assertRowsEqual(
      await facts.filter(col("v").gt(1)).orderBy("k", "id").select("id").collectArrays(),
      await duckRows("SELECT id FROM facts WHERE v > 1 ORDER BY k NULLS FIRST, id"), { ordered: true });
  });
});
