/**
 * Spark SQL's query organization clauses and `sortWithinPartitions`:
 * `DISTRIBUTE BY` hash-partitions the query's rows on expressions of its
 * output (`shuffle.partitions` of them), as `repartition(cols)` does; `SORT BY`
 * (and `df.sortWithinPartitions`) sorts each partition on its own with no
 * shuffle; `CLUSTER BY e` is both. Rows equal DuckDB's for the query without
 * the clauses, partitions come out as sorted runs with each key in one run,
 * a grouping over DISTRIBUTE BY needs no second Exchange, columns may still
 * be named `sort`, a missing expression is a ParseError at its line and
 * column, and an unknown column an AnalysisError naming it.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, ParseError, AnalysisError, col } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
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

  /** How many ascending runs `values` makes (one per partition at most, for rows sorted within partitions). */
  const runs = (values: number[]) => values.reduce((n, v, i) => (i > 0 && v < values[i - 1]! ? n + 1 : n), values.length ? 1 : 0);

  it("SORT BY and CLUSTER BY sort each partition on its own, with no range shuffle", async () => {
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const local = session.backend;
    session.backend = cluster.backend();
    try {
      const clustered = session.sql("SELECT id, k FROM facts WHERE k IS NOT NULL CLUSTER BY k");
      assert.doesNotMatch(clustered.explain(false), /rangepartitioning/);
      const rows = await clustered.collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT id, k FROM facts WHERE k IS NOT NULL"));
      const keys = rows.map((r) => r[1] as number);
      assert.ok(runs(keys) <= 4, `at most one sorted run per partition: ${runs(keys)}`);
      // Each key's rows are together: a key lives in one partition, sorted by that key.
      const seen = new Set<number>();
      keys.forEach((k, i) => { if (i > 0 && k !== keys[i - 1]) { assert.ok(!seen.has(k), `key ${k} appears in two places`); seen.add(keys[i - 1]!); } });
      const sortedBy = session.sql("SELECT id, v FROM facts WHERE v IS NOT NULL DISTRIBUTE BY id SORT BY v DESC");
      const vs = (await sortedBy.collectArrays()).map((r) => -(r[1] as number));
      assert.ok(runs(vs) <= 4, `descending within each partition: ${runs(vs)} runs`);
      // The DataFrame form, and a column that is simply named sort.
      const byDf = session.table("facts").repartition(3, "k").sortWithinPartitions(col("id"));
      assert.ok(runs((await byDf.collectArrays()).map((r) => r[0] as number)) <= 3);
      const named = await session.sql("SELECT id AS sort FROM facts WHERE id < 5 SORT BY sort").collectArrays();
      assert.deepEqual(named.map((r) => r[0]).sort(), [0, 1, 2, 3, 4]);
    } finally { session.backend = local; await cluster.stop(); }
  });

  it("a global sort above a sort within partitions drops it; one below is kept", () => {
    const facts = session.table("facts");
    assert.equal(facts.sortWithinPartitions("v").orderBy("id").explain(false).match(/SortExec/g)?.length, 1);
    assert.match(facts.orderBy("id").sortWithinPartitions("v").explain(false), /rangepartitioning/);
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
