import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { combineFilters } from "../../src/optimizer/combine-filters.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

describe("combine filters", () => {
  const session = new Session();
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"])) as { facts: DataFrame }; });

  it("merges adjacent filters into one AND, inner condition first, without repeating a conjunct", () => {
    const df = facts.filter(col("k").gt(5)).filter(col("id").lt(100)).filter(col("k").gt(5).and(col("g").eq(1)));
    assertRewrite(df, [combineFilters], `
      Filter ((k#1 > 5) AND (g#2 = CAST(1 AS int64)))
      +- Filter (id#3 < 100)
         +- Filter (k#1 > 5)
            +- Scan memory:t1 [id#3, k#1, v#4, s#5, d#6, p#7, g#2]
    `, `
      Filter (((k#1 > 5) AND (id#2 < 100)) AND (g#3 = CAST(1 AS int64)))
      +- Scan memory:t1 [id#2, k#1, v#4, s#5, d#6, p#7, g#3]
    `);
  });

  it("leaves filters separated by another node alone", () => {
    const plan = facts.filter(col("k").gt(5)).select("id", "k").filter(col("id").lt(100)).plan;
    assert.equal(combineFilters.rewrite(plan), plan);
  });

  it("gives the same results as DuckDB", async () => {
    assertRowsEqual(
      await facts.filter(col("k").gt(5)).filter(col("v").lt(50)).filter(col("k").gt(5)).select("id", "k", "v").collectArrays(),
      await duckRows("SELECT id, k, v FROM facts WHERE k > 5 AND v < 50"));
    assertRowsEqual(
      await facts.filter(col("s").eq("s3")).filter(col("k").isNull().or(col("k").lt(3))).select("id").collectArrays(),
      await duckRows("SELECT id FROM facts WHERE s = 's3' AND (k IS NULL OR k < 3)"));
  });
});
