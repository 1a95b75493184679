/**
 * Spark SQL's `DISTRIBUTE BY`: the query's rows hash-partitioned on
 * expressions of its output (`shuffle.partitions` of them), planned as the
 * DataFrame API's `repartition(cols)`; the rows equal DuckDB's for the same
 * query without the clause, a grouping over it needs no second Exchange, a
 * missing expression is a ParseError at its line and column, and an unknown
 * column an AnalysisError naming it.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, ParseError, AnalysisError } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

describe("DISTRIBUTE BY", () => {
  const session = new Session({ "shuffle.partitions": 4 });
  before(async () => { await loadTables(session, ["facts"], 3); });

  it("hash-partitions the query's rows on output expressions, aliases included", async () => {
    const q = session.sql("SELECT k, v * 2 AS w FROM facts WHERE id > 100 DISTRIBUTE BY k, w");
    assert.match(q.explain(false), /^Exchange hashpartitioning\(#0, #1, 4\)/m);
    assert.equal(q.numPartitions, 4);
    assertRowsEqual(await q.collectArrays(), await duckRows("SELECT k, v * 2 AS w FROM facts WHERE id > 100"));
  });

  it("a grouping over DISTRIBUTE BY on its key runs without a second shuffle", async () => {
    const q = session.sql("SELECT k, count(*) AS n, sum(v) AS s FROM (SELECT k, v FROM facts DISTRIBUTE BY k) d GROUP BY k");
    assert.equal(q.explain(false).match(/Exchange/g)?.length, 1);
    assertRowsEqual(await q.collectArrays(), await duckRows("SELECT k, count(*), sum(v) FROM facts GROUP BY k"));
  });

  it("a missing expression is a ParseError with its position; an unknown column an AnalysisError", async () => {
    assert.throws(() => session.sql("SELECT k FROM facts\nDISTRIBUTE BY"), (e: unknown) => {
      assert.ok(e instanceof ParseError);
      assert.match(e.message, /line 2, column 14/);
      return true;
    });
    await assert.rejects(async () => session.sql("SELECT k FROM facts DISTRIBUTE BY nope").collectArrays(), (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.match(e.message, /nope/);
      return true;
    });
  });
});
