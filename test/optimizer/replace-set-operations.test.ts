import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { analyzeNode } from "../../src/plan/analyzer.ts";
import { replaceSetOperations } from "../../src/optimizer/replace-set-operations.ts";
import { optimize } from "../../src/optimizer/optimizer.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { assertRewrite } from "./plan-text.ts";

const RULES = [replaceSetOperations];

/** `left INTERSECT/EXCEPT [ALL] right` as a DataFrame (the DataFrame API has no such method yet). */
function setOp(session: Session, op: "intersect" | "except", left: DataFrame, right: DataFrame, all = false): DataFrame {
  return session.dataFrameOf(analyzeNode({ type: "SetOperation", op, left: left.plan, right: right.plan, all }));
}

describe("replace set operations", () => {
  const session = new Session();
  let facts: DataFrame, dims: DataFrame;
  before(async () => { ({ facts, dims } = await loadTables(session, ["facts", "dims"]) as { facts: DataFrame; dims: DataFrame }); });

  it("turns INTERSECT into a Distinct over a left semi join on null-safe equality of every column", () => {
    assertRewrite(setOp(session, "intersect", facts.select("k", "id"), dims.select("k", "grp")), RULES, `
      Intersect
      +- Project [k#1, id#2]
         +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
      +- Project [k#8, grp#9]
         +- Scan memory:t2 [k#8, name#10, grp#9]
    `, `
      Distinct
      +- Join left_semi, ((k#1 <=> k#2) AND (id#3 <=> grp#4))
         +- Project [k#1, id#3]
            +- Scan memory:t1 [id#3, k#1, v#5, s#6, d#7, p#8, g#9]
         +- Project [k#2, grp#4]
            +- Scan memory:t2 [k#2, name#10, grp#4]
    `);
  });

  it("turns EXCEPT into a left anti join, giving the right side fresh ids when both sides are the same plan", () => {
    const left = facts.select("k");
    assertRewrite(setOp(session, "except", left, left.filter(col("k").gt(10))), RULES, `
      Except
      +- Project [k#1]
         +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
      +- Filter (k#1 > 10)
         +- Project [k#1]
            +- Scan memory:t1 [id#2, k#1, v#3, s#4, d#5, p#6, g#7]
    `, `
      Distinct
      +- Join left_anti, (k#1 <=> k#2)
         +- Project [k#1]
            +- Scan memory:t1 [id#3, k#1, v#4, s#5, d#6, p#7, g#8]
         +- Project [k#1 AS k#2]
            +- Filter (k#1 > 10)
               +- Project [k#1]
                  +- Scan memory:t1 [id#3, k#1, v#4, s#5, d#6, p#7, g#8]
    `);
  });

  it("refuses INTERSECT ALL and EXCEPT ALL with a clear UNSUPPORTED error", () => {
    for (const op of ["intersect", "except"] as const) {
      const df = setOp(session, op, facts.select("k"), dims.select("k"), true);
      assert.throws(() => optimize(df.plan), (e: unknown) => {
        assert.ok(CinderError.is(e));
        assert.equal(e.code, "UNSUPPORTED");
        assert.match(e.message, new RegExp(`${op.toUpperCase()} ALL is not supported`));
        return true;
      });
    }
  });

  it("gives the same results as DuckDB, NULLs matching NULLs", async () => {
    assertRowsEqual(
      await setOp(session, "intersect", facts.select("k"), dims.select("k")).collectArrays(),
      await duckRows("SELECT k FROM facts INTERSECT SELECT k FROM dims"));
    assertRowsEqual(
      await setOp(session, "except", dims.select("k", "grp"), facts.select("k", col("g").cast("int").alias("g"))).collectArrays(),
      await duckRows("SELECT k, grp FROM dims EXCEPT SELECT k, g::INTEGER FROM facts"));
    const left = facts.select("k", "s");
    assertRowsEqual(
      await setOp(session, "except", left, left.filter(col("k").gt(10))).collectArrays(),
      await duckRows("SELECT k, s FROM facts EXCEPT SELECT k, s FROM facts WHERE k > 10"));
    assertRowsEqual(
      await session.sql("SELECT k, g FROM facts EXCEPT SELECT k, grp FROM dims").collectArrays(),
      await duckRows("SELECT k, g FROM facts EXCEPT SELECT k, grp FROM dims"));
  });
});
