/**
 * Spark SQL's hints after SELECT: `BROADCAST(t)` (and BROADCASTJOIN, MAPJOIN)
 * broadcasts the named relation whatever its size; `REPARTITION`,
 * `REPARTITION_BY_RANGE` and `COALESCE` partition the select's rows as the
 * DataFrame methods do, under its ORDER BY. Answers equal DuckDB's (which
 * reads the hint as a comment); an unknown hint or a malformed argument is a
 * ParseError at its line and column, a hint naming no relation of the FROM
 * clause an AnalysisError naming it, and a `/*+` comment anywhere but after
 * SELECT is a plain comment.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, ParseError, AnalysisError } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

describe("SQL hints", () => {
  const session = new Session({ "shuffle.partitions": 4, autoBroadcastJoinThreshold: 0 });
  before(async () => { await loadTables(session, ["facts", "dims"], 3); });

  const join = "f.id, d.name FROM facts f JOIN dims d ON f.k = d.k";

  it("BROADCAST(alias) broadcasts that side even over the size threshold", async () => {
    assert.doesNotMatch(session.sql(`SELECT ${join}`).explain(false), /Broadcast/);
    for (const hint of ["BROADCAST(d)", "broadcastjoin(dims)", "MAPJOIN(d), REPARTITION(2)", "BROADCAST (d)"]) {
      const q = session.sql(`SELECT /*+ ${hint} */ ${join}`);
      assert.match(q.explain(false), /BroadcastExchange/, hint);
      assertRowsEqual(await q.collectArrays(), await duckRows(`SELECT ${join}`));
    }
  });

  it("REPARTITION, REPARTITION_BY_RANGE and COALESCE set the select's partitions", async () => {
    const cases: [string, number, RegExp][] = [
      ["REPARTITION(3)", 3, /Exchange roundrobinpartitioning\(3\)/i],
      ["REPARTITION(5, k)", 5, /Exchange hashpartitioning\(#\d+, 5\)/i],
      ["REPARTITION(k)", 4, /Exchange hashpartitioning\(#\d+, 4\)/i],
      ["REPARTITION_BY_RANGE(2, v)", 2, /Exchange rangepartitioning/i],
      ["COALESCE(1)", 1, /Coalesce/i],
    ];
    for (const [hint, partitions, plan] of cases) {
      const q = session.sql(`SELECT /*+ ${hint} */ id, k, v FROM facts WHERE id < 500`);
      assert.equal(q.numPartitions, partitions, hint);
      assert.match(q.explain(false), plan, hint);
      assertRowsEqual(await q.collectArrays(), await duckRows("SELECT id, k, v FROM facts WHERE id < 500"));
    }
  });

  it("partitions under the query's ORDER BY, which keeps its order", async () => {
    const sql = "SELECT /*+ REPARTITION(3) */ id, v FROM facts ORDER BY v DESC, id LIMIT 50";
    assertRowsEqual(await session.sql(sql).collectArrays(), await duckRows("SELECT id, v FROM facts ORDER BY v DESC NULLS LAST, id LIMIT 50"), { ordered: true });
  });

  it("reads /*+ ... */ anywhere but straight after SELECT as a comment", async () => {
    const q = session.sql("SELECT id /*+ BROADCAST(nothing) */ FROM facts /*+ COALESCE(x) */ WHERE id < 3");
    assertRowsEqual(await q.collectArrays(), [[0], [1], [2]]);
  });

  it("rejects an unknown hint or a malformed argument at its line and column", () => {
    const cases: [string, RegExp][] = [
      ["SELECT /*+ SHUFFLE_HASH(d) */ * FROM dims d", /unknown hint SHUFFLE_HASH; Cinder reads BROADCAST .*\(line 1, column 12\)/s],
      ["SELECT /*+ COALESCE(k) */ * FROM dims", /COALESCE hint takes one partition count.*\(line 1, column 12\)/s],
      ["SELECT /*+ REPARTITION(0) */ * FROM dims", /partition count must be a positive integer.*\(line 1, column 24\)/s],
      ["SELECT /*+ BROADCAST */ * FROM dims", /names the relations to broadcast/],
      ["SELECT\n  /*+ BROADCAST(d.k) */ * FROM dims d", /takes table names or aliases.*\(line 2, column 17\)/s],
      ["SELECT /*+ BROADCAST(d) * FROM dims d", /unterminated \/\*\+ hint.*\(line 1, column 8\)/s],
    ];
    for (const [sql, message] of cases) {
      assert.throws(() => session.sql(sql), (e: unknown) => e instanceof ParseError && message.test(e.message), sql);
    }
  });

  it("names a BROADCAST target that is not in the FROM clause", () => {
    assert.throws(() => session.sql("SELECT /*+ BROADCAST(x) */ f.id FROM facts f JOIN dims d ON f.k = d.k"),
      (e: unknown) => e instanceof AnalysisError && /BROADCAST hint at 1:22 names 'x', which is not a table or alias/.test(e.message));
  });
});
