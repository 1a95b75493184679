import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, sum, rowNumber, Window } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { pushDownPredicates } from "../../src/optimizer/push-down-predicates.ts";
import { combineFilters } from "../../src/optimizer/combine-filters.ts";
import { optimize } from "../../src/optimizer/optimizer.ts";
import { loadTables, TABLE_SQL } from "../support/datasets.ts";
import { duckRows, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite, printed, tree } from "./plan-text.ts";

const RULES = [combineFilters, pushDownPredicates];

describe("push down predicates", () => {
  const session = new Session();
  let facts: DataFrame, dims: DataFrame;
  before(async () => { ({ facts, dims } = await loadTables(session, ["facts", "dims"]) as { facts: DataFrame; dims: DataFrame }); });

  it("moves a filter below a Project, substituting its aliases", () => {
    const df = facts.select(col("k").plus(1).alias("k1"), col("id"), col("v")).filter(col("k1").gt(5).and(col("v").lt(10)));
    assertRewrite(df, RULES, `
      Filter ((k1#1 > 5) AND (v#2 < CAST(10 AS float64)))
      +- Project [(k#3 + 1) AS k1#1, id#4, v#2]
         +- Scan memory:t1 [id#4, k#3, v#2, s#5, d#6, p#7, g#8]
    `, `
      Project [(k#1 + 1) AS k1#2, id#3, v#4]
      +- Filter (((k#1 + 1) > 5) AND (v#4 < CAST(10 AS float64)))
         +- Scan memory:t1 [id#3, k#1, v#4, s#5, d#6, p#7, g#8]
    `);
  });

  it("keeps a predicate on a window output above the Window, and moves one on its partition key below", () => {
    const df = facts.withColumn("rn", rowNumber().over(Window.partitionBy("k").orderBy("id"))).filter(col("rn").eq(1).and(col("k").gt(3)));
    assertRewrite(df, RULES, `
      Filter ((rn#1 = CAST(1 AS int64)) AND (k#2 > 3))
      +- Project [id#3, k#2, v#4, s#5, d#6, p#7, g#8, row_number() OVER (...)#9 AS rn#1]
         +- Window [row_number() OVER (PARTITION BY k#2 ORDER BY id#3 ASC NULLS FIRST) AS row_number() OVER (...)#9]
            +- Scan memory:t1 [id#3, k#2, v#4, s#5, d#6, p#7, g#8]
    `, `
      Project [id#1, k#2, v#3, s#4, d#5, p#6, g#7, row_number() OVER (...)#8 AS rn#9]
      +- Filter (row_number() OVER (...)#8 = CAST(1 AS int64))
         +- Window [row_number() OVER (PARTITION BY k#2 ORDER BY id#1 ASC NULLS FIRST) AS row_number() OVER (...)#8]
            +- Filter (k#2 > 3)
               +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `);
  });

  it("moves a filter below a Sort, and below an Aggregate when it reads only grouping columns", () => {
    assertRewrite(facts.orderBy("v").filter(col("k").gt(3)), RULES, `
      Filter (k#1 > 3)
      +- Sort [v#2 ASC NULLS FIRST]
         +- Scan memory:t1 [id#3, k#1, v#2, s#4, d#5, p#6, g#7]
    `, `
      Sort [v#1 ASC NULLS FIRST]
      +- Filter (k#2 > 3)
         +- Scan memory:t1 [id#3, k#2, v#1, s#4, d#5, p#6, g#7]
    `);
    assertRewrite(facts.groupBy("k").agg(sum("v").alias("sv")).filter(col("k").gt(3).and(col("sv").gt(100))), RULES, `
      Filter ((k#1 > 3) AND (sv#2 > CAST(100 AS float64)))
      +- Aggregate [k#1], [k#1, sum(v#3) AS sv#2]
         +- Scan memory:t1 [id#4, k#1, v#3, s#5, d#6, p#7, g#8]
    `, `
      Filter (sv#1 > CAST(100 AS float64))
      +- Aggregate [k#2], [k#2, sum(v#3) AS sv#1]
         +- Filter (k#2 > 3)
            +- Scan memory:t1 [id#4, k#2, v#3, s#5, d#6, p#7, g#8]
    `);
  });

  it("never moves a filter below a global aggregate", () => {
    const plan = facts.agg(sum("v").alias("sv")).filter(col("sv").gt(0)).plan;
    assert.equal(optimize(plan, RULES), plan);
  });

  it("copies a filter into every Union input, remapping ids by position", () => {
    const df = facts.select("id", "k").union(dims.select(col("k").alias("id2"), col("grp"))).filter(col("k").gt(3));
    assertRewrite(df, RULES, `
      Filter (k#1 > 3)
      +- Union
         +- Project [id#2, k#1]
            +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
         +- Project [k#8 AS id2#9, grp#10]
            +- Scan memory:t2 [k#8, name#11, grp#10]
    `, `
      Union
      +- Project [id#1, k#2]
         +- Filter (k#2 > 3)
            +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
      +- Project [k#8 AS id2#9, grp#10]
         +- Filter (grp#10 > 3)
            +- Scan memory:t2 [k#8, name#11, grp#10]
    `);
  });

  it("splits a filter over an inner join into each side and the join condition", () => {
    const df = facts.join(dims, facts.col("k").eq(dims.col("k")))
      .filter(facts.col("v").gt(10).and(dims.col("grp").eq(1)).and(facts.col("id").gt(dims.col("grp"))));
    assertRewrite(df, RULES, `
      Filter (((v#1 > CAST(10 AS float64)) AND (grp#2 = 1)) AND (id#3 > grp#2))
      +- Join inner, (k#4 = k#5)
         +- Scan memory:t1 [id#3, k#4, v#1, s#6, d#7, p#8, g#9]
         +- Scan memory:t2 [k#5, name#10, grp#2]
    `, `
      Join inner, ((k#1 = k#2) AND (id#3 > grp#4))
      +- Filter (v#5 > CAST(10 AS float64))
         +- Scan memory:t1 [id#3, k#1, v#5, s#6, d#7, p#8, g#9]
      +- Filter (grp#4 = 1)
         +- Scan memory:t2 [k#2, name#10, grp#4]
    `);
  });

  it("pushes only left-side predicates below a left join, none below a full join, left ones below a semi join", () => {
    const left = facts.join(dims, facts.col("k").eq(dims.col("k")), "left").filter(facts.col("v").gt(10).and(dims.col("grp").eq(1)));
    assertRewrite(left, RULES, `
      Filter ((v#1 > CAST(10 AS float64)) AND (grp#2 = 1))
      +- Join left, (k#3 = k#4)
         +- Scan memory:t1 [id#5, k#3, v#1, s#6, d#7, p#8, g#9]
         +- Scan memory:t2 [k#4, name#10, grp#2]
    `, `
      Filter (grp#1 = 1)
      +- Join left, (k#2 = k#3)
         +- Filter (v#4 > CAST(10 AS float64))
            +- Scan memory:t1 [id#5, k#2, v#4, s#6, d#7, p#8, g#9]
         +- Scan memory:t2 [k#3, name#10, grp#1]
    `);
    const full = facts.join(dims, facts.col("k").eq(dims.col("k")), "full").filter(facts.col("v").gt(10)).plan;
    assert.equal(optimize(full, RULES), full);
    const semi = facts.join(dims, facts.col("k").eq(dims.col("k")), "left_semi").filter(col("v").gt(10));
    assertRewrite(semi, RULES, `
      Filter (v#1 > CAST(10 AS float64))
      +- Join left_semi, (k#2 = k#3)
         +- Scan memory:t1 [id#4, k#2, v#1, s#5, d#6, p#7, g#8]
         +- Scan memory:t2 [k#3, name#9, grp#10]
    `, `
      Join left_semi, (k#1 = k#2)
      +- Filter (v#3 > CAST(10 AS float64))
         +- Scan memory:t1 [id#4, k#1, v#3, s#5, d#6, p#7, g#8]
      +- Scan memory:t2 [k#2, name#9, grp#10]
    `);
  });

  it("moves one-sided join-condition conjuncts into the side the join type allows", () => {
    const on = facts.col("k").eq(dims.col("k")).and(dims.col("grp").eq(1)).and(facts.col("v").gt(5));
    assertRewrite(facts.join(dims, on), RULES, `
      Join inner, (((k#1 = k#2) AND (grp#3 = 1)) AND (v#4 > CAST(5 AS float64)))
      +- Scan memory:t1 [id#5, k#1, v#4, s#6, d#7, p#8, g#9]
      +- Scan memory:t2 [k#2, name#10, grp#3]
    `, `
      Join inner, (k#1 = k#2)
      +- Filter (v#3 > CAST(5 AS float64))
         +- Scan memory:t1 [id#4, k#1, v#3, s#5, d#6, p#7, g#8]
      +- Filter (grp#9 = 1)
         +- Scan memory:t2 [k#2, name#10, grp#9]
    `);
    // A left join keeps every left row: only the right-side ON conjunct may move.
    assertRewrite(facts.join(dims, on, "left"), RULES, `
      Join left, (((k#1 = k#2) AND (grp#3 = 1)) AND (v#4 > CAST(5 AS float64)))
      +- Scan memory:t1 [id#5, k#1, v#4, s#6, d#7, p#8, g#9]
      +- Scan memory:t2 [k#2, name#10, grp#3]
    `, `
      Join left, ((k#1 = k#2) AND (v#3 > CAST(5 AS float64)))
      +- Scan memory:t1 [id#4, k#1, v#3, s#5, d#6, p#7, g#8]
      +- Filter (grp#9 = 1)
         +- Scan memory:t2 [k#2, name#10, grp#9]
    `);
  });

  it("moves through SubqueryAlias and Hint, leaving the hint right above its plan", () => {
    assertRewrite(dims.hint("broadcast").alias("d").filter(col("grp").eq(2)), RULES, `
      Filter (d.grp#1 = 2)
      +- SubqueryAlias d
         +- ResolvedHint broadcast
            +- Scan memory:t2 [k#2, name#3, grp#1]
    `, `
      SubqueryAlias d
      +- ResolvedHint broadcast
         +- Filter (d.grp#1 = 2)
            +- Scan memory:t2 [k#2, name#3, grp#1]
    `);
  });

  it("hands conjuncts to a Parquet scan as PushedFilters and keeps the Filter above it", async () => {
    const { path } = await duckToParquet("facts_pushdown", TABLE_SQL.facts!);
    const parquet = await session.read.parquet(path);
    const df = parquet.filter(col("k").gt(3)).select("id", "k", "v").filter(col("v").lt(20));
    const optimized = optimize(df.plan, RULES);
    assert.equal(printed(optimized).replaceAll(path, "facts.parquet"), tree(`
      Project [id#1, k#2, v#3]
      +- Filter ((k#2 > 3) AND (v#3 < CAST(20 AS float64)))
         +- Scan parquet:facts.parquet [id#1, k#2, v#3, s#4, d#5, p#6, g#7] PushedFilters: [(k#2 > 3), (v#3 < CAST(20 AS float64))]
    `));
    assert.equal(optimize(optimized, RULES), optimized, "pushing again adds nothing");
    assertRowsEqual(await df.collectArrays(), await duckRows("SELECT id, k, v FROM facts WHERE k > 3 AND v < 20"));
    // A memory scan cannot use filters: the Filter just sits on it.
    const memory = facts.filter(col("k").gt(3)).plan;
    assert.equal(optimize(memory, RULES), memory);
  });

  it("gives the same results as DuckDB", async () => {
    assertRowsEqual(
      await facts.select(col("k").plus(1).alias("k1"), col("id"), col("v")).filter(col("k1").gt(5).and(col("v").lt(10))).collectArrays(),
      await duckRows("SELECT k + 1, id, v FROM facts WHERE k + 1 > 5 AND v < 10"));
    assertRowsEqual(
      await facts.select("id", "k").union(dims.select(col("k").alias("id2"), col("grp"))).filter(col("k").gt(3)).collectArrays(),
      await duckRows("SELECT * FROM (SELECT id, k FROM facts UNION ALL SELECT k, grp FROM dims) WHERE k > 3"));
    assertRowsEqual(
      await facts.join(dims, facts.col("k").eq(dims.col("k"))).filter(facts.col("v").gt(10).and(dims.col("grp").eq(1)).and(facts.col("id").gt(dims.col("grp"))))
        .select(facts.col("id"), dims.col("name")).collectArrays(),
      await duckRows("SELECT f.id, d.name FROM facts f JOIN dims d ON f.k = d.k WHERE f.v > 10 AND d.grp = 1 AND f.id > d.grp"));
    assertRowsEqual(
      await facts.join(dims, facts.col("k").eq(dims.col("k")), "left").filter(facts.col("v").gt(10).and(dims.col("grp").isNull()))
        .select(facts.col("id")).collectArrays(),
      await duckRows("SELECT f.id FROM facts f LEFT JOIN dims d ON f.k = d.k WHERE f.v > 10 AND d.grp IS NULL"));
    assertRowsEqual(
      await facts.join(dims, facts.col("k").eq(dims.col("k")).and(dims.col("grp").eq(1)).and(facts.col("v").gt(5)), "left")
        .select(facts.col("id"), dims.col("name")).collectArrays(),
      await duckRows("SELECT f.id, d.name FROM facts f LEFT JOIN dims d ON f.k = d.k AND d.grp = 1 AND f.v > 5"));
    assertRowsEqual(
      await facts.groupBy("k").agg(sum("v").alias("sv")).filter(col("k").gt(3).and(col("sv").gt(100))).collectArrays(),
      await duckRows("SELECT k, sum(v) FROM facts GROUP BY k HAVING k > 3 AND sum(v) > 100"));
    assertRowsEqual(
      await facts.withColumn("rn", rowNumber().over(Window.partitionBy("k").orderBy("id"))).filter(col("rn").eq(1).and(col("k").gt(3))).select("id", "k", "rn").collectArrays(),
      await duckRows("SELECT id, k, rn FROM (SELECT id, k, row_number() OVER (PARTITION BY k ORDER BY id) AS rn FROM facts) WHERE rn = 1 AND k > 3"));
  });
});
