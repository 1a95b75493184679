import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, lit, upper, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { constantFolding, simplify } from "../../src/optimizer/constant-folding.ts";
import { evaluate } from "../../src/physical/expressions/evaluate.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

describe("constant folding", () => {
  const session = new Session();
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"])) as { facts: DataFrame }; });

  it("evaluates literal-only subtrees once into literals", () => {
    const df = facts.select(col("k").plus(lit(1).plus(lit(2))).alias("k3"), lit(1).cast("bigint").alias("one"), lit(7).multiply(6).alias("answer"));
    assertRewrite(df, [constantFolding], `
      Project [(k#1 + (1 + 2)) AS k3#2, CAST(1 AS int64) AS one#3, (7 * 6) AS answer#4]
      +- Scan memory:t1 [id#5, k#1, v#6, s#7, d#8, p#9, g#10]
    `, `
      Project [(k#1 + 3) AS k3#2, 1 AS one#3, 42 AS answer#4]
      +- Scan memory:t1 [id#5, k#1, v#6, s#7, d#8, p#9, g#10]
    `);
  });

  it("folds string functions when their kernel runs, and leaves them to run time while it throws", () => {
    const call = facts.select(upper(lit("abc")).alias("u")).plan;
    const expr = (call as { exprs: import("../../src/plan/expressions.ts").Expr[] }).exprs[0]!;
    const inner = expr.type === "alias" ? expr.expr : expr;
    let kernelWorks = true;
    try { evaluate(inner, { columns: [], numRows: 1 }); } catch { kernelWorks = false; }
    const folded = simplify(inner);
    if (kernelWorks) assert.deepEqual(folded, { type: "literal", value: "ABC", dataType: { kind: "utf8" } });
    else assert.equal(folded, inner, "a subtree whose evaluation throws must stay as it is");
  });

  it("does not fold a subtree whose evaluation throws, so the error stays at run time", async () => {
    const df = facts.select(col("id"), lit("abc").cast("int").alias("bad"));
    assertRewrite(df, [constantFolding], `
      Project [id#1, CAST('abc' AS int32) AS bad#2]
      +- Scan memory:t1 [id#1, k#3, v#4, s#5, d#6, p#7, g#8]
    `, `
      Project [id#1, CAST('abc' AS int32) AS bad#2]
      +- Scan memory:t1 [id#1, k#3, v#4, s#5, d#6, p#7, g#8]
    `);
    await assert.rejects(df.collect(), (e: unknown) => CinderError.is(e));
  });

  it("simplifies AND/OR with a literal side and double negation", () => {
    const df = facts
      .filter(col("k").gt(5).and(lit(true)))
      .filter(col("v").lt(50).or(lit(false)))
      .filter(col("id").gt(10).not().not())
      .filter(col("id").lt(1000).or(lit(1).eq(1)));
    assertRewrite(df, [constantFolding], `
      Filter ((id#1 < 1000) OR (1 = 1))
      +- Filter NOT NOT (id#1 > 10)
         +- Filter ((v#2 < CAST(50 AS float64)) OR false)
            +- Filter ((k#3 > 5) AND true)
               +- Scan memory:t1 [id#1, k#3, v#2, s#4, d#5, p#6, g#7]
    `, `
      Filter (id#1 > 10)
      +- Filter (v#2 < 50)
         +- Filter (k#3 > 5)
            +- Scan memory:t1 [id#1, k#3, v#2, s#4, d#5, p#6, g#7]
    `);
  });

  it("replaces a filter on FALSE or NULL with an empty relation of the same columns", async () => {
    const never = facts.select("id", "s").filter(col("id").gt(3).and(lit(1).gt(2)));
    assertRewrite(never, [constantFolding], `
      Filter ((id#1 > 3) AND (1 > 2))
      +- Project [id#1, s#2]
         +- Scan memory:t1 [id#1, k#3, v#4, s#2, d#5, p#6, g#7]
    `, `
      Project [NULL AS id#1, NULL AS s#2]
      +- Scan range(0, 0, 1) [id#3]
    `);
    assert.deepEqual(await never.collectArrays(), []);
    const unknown = facts.filter(lit(null).cast("boolean"));
    assertRewrite(unknown, [constantFolding], `
      Filter CAST(NULL AS boolean)
      +- Scan memory:t1 [id#1, k#2, v#3, s#4, d#5, p#6, g#7]
    `, `
      Project [NULL AS id#1, NULL AS k#2, NULL AS v#3, NULL AS s#4, NULL AS d#5, NULL AS p#6, NULL AS g#7]
      +- Scan range(0, 0, 1) [id#8]
    `);
    assert.deepEqual(await unknown.collectArrays(), []);
    assert.deepEqual(unknown.columns, facts.columns);
  });

  it("returns the same plan object when there is nothing to fold", () => {
    const plan = facts.filter(col("k").gt(5)).select("id", "k").plan;
    assert.equal(constantFolding.rewrite(plan), plan);
  });

  it("gives the same results as DuckDB", async () => {
    assertRowsEqual(
      await facts.filter(col("k").gt(lit(2).multiply(3)).and(lit(true))).select(col("id"), col("v").plus(lit(1).plus(1)).alias("v2")).collectArrays(),
      await duckRows("SELECT id, v + (1 + 1) FROM facts WHERE k > 2 * 3 AND true"));
    assertRowsEqual(
      await facts.filter(col("v").lt(10).or(lit(1).eq(1))).select("id").collectArrays(),
      await duckRows("SELECT id FROM facts WHERE v < 10 OR 1 = 1"));
    assertRowsEqual(
      await facts.filter(col("id").lt(100).or(lit(false))).select("id", "s").collectArrays(),
      await duckRows("SELECT id, s FROM facts WHERE id < 100 OR false"));
    assertRowsEqual(await facts.filter(lit(false)).select("id").collectArrays(), await duckRows("SELECT id FROM facts WHERE false"));
  });
});
