import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, lit, AnalysisError, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

describe("DataFrame basics", () => {
  const session = new Session();
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"])) as { facts: DataFrame }; });

  it("filters and projects like DuckDB", async () => {
    const rows = await facts!.filter(col("v").gt(50)).select("id", col("v").multiply(2).alias("v2")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT id, v * 2 FROM facts WHERE v > 50"));
  });

  it("applies SQL three-valued logic in filters", async () => {
    const rows = await facts!.filter(col("k").gt(10).or(col("v").lt(5))).select("id").collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT id FROM facts WHERE k > 10 OR v < 5"));
    const notRows = await facts!.filter(col("k").gt(10).not()).select("id").collectArrays();
    assertRowsEqual(notRows, await duckRows("SELECT id FROM facts WHERE NOT (k > 10)"));
  });

  it("keeps NULLs out of comparisons and in isNull", async () => {
    assert.equal(await facts!.filter(col("k").isNull()).count(), 118);
    assertRowsEqual(await facts!.filter(col("k").isNull()).select("id").collectArrays(), await duckRows("SELECT id FROM facts WHERE k IS NULL"));
  });

  it("withColumn, withColumnRenamed and drop shape the schema", () => {
    const df = facts!.withColumn("w", col("v").plus(lit(1))).withColumnRenamed("s", "label").drop("d", "p");
    assert.deepEqual(df.columns, ["id", "k", "v", "label", "g", "w"]);
    assert.deepEqual(facts!.withColumn("v", lit(0)).columns, facts!.columns);
  });

  it("counts rows", async () => {
    assert.equal(await facts!.count(), 2000);
    assert.equal(await facts!.limit(7).count(), 7);
  });

  it("rejects an unknown column with a typed error and suggestions", () => {
    assert.throws(() => facts!.select("vv"), (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.equal(e.code, "UNRESOLVED_COLUMN");
      assert.match(e.message, /did you mean 'v'/);
      assert.deepEqual((e.details as { suggestions: string[] }).suggestions.includes("v"), true);
      return true;
    });
  });

  it("rejects arithmetic on a string with a type error", () => {
    assert.throws(() => facts!.select(col("s").plus(1)), (e: unknown) => CinderError.is(e) && e.code === "DATATYPE_MISMATCH");
  });

  it("explain shows the four plans", () => {
    const text = facts!.filter(col("v").gt(1)).select("id").explain();
    for (const section of ["Parsed Logical Plan", "Analyzed Logical Plan", "Optimized Logical Plan", "Physical Plan"]) assert.match(text, new RegExp(section));
  });

  it("explain prints decimal, date and timestamp literals as the user wrote them", () => {
    const text = new Session().sql("SELECT 1.25 AS p, DATE '1998-12-01' AS d, TIMESTAMP '2024-03-05 10:20:30' AS t").explain();
    assert.match(text, /1\.25 AS p/);
    assert.match(text, /DATE '1998-12-01' AS d/);
    assert.match(text, /TIMESTAMP '2024-03-05 10:20:30\.000' AS t/);
  });
});
