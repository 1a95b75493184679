/**
 * The planner does not shuffle rows that are already in place (Spark's
 * EnsureRequirements): a grouping over data hash-partitioned by a subset of
 * its keys (a repartition, a join on those keys) aggregates in one step with
 * no Exchange, and a join side already partitioned on its keys keeps its
 * placement while the other side is shuffled to match. Where placement is
 * not known to hold (a full join's NULL-extended rows, other keys) the
 * Exchange stays. Results equal DuckDB's, locally and on a cluster.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session, sum, count } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const exchanges = (df: DataFrame) => (df.explain(false).match(/Exchange hashpartitioning/g) ?? []).length;

describe("output partitioning: no shuffle for rows already in place", () => {
  const session = new Session({ "shuffle.partitions": 4, autoBroadcastJoinThreshold: 0 });
  const local = session.backend;
  let facts: DataFrame, dims: DataFrame, cluster: Cluster;
  before(async () => {
    ({ facts, dims } = (await loadTables(session, ["facts", "dims"], 3)) as { facts: DataFrame; dims: DataFrame });
    cluster = await Cluster.start({ executors: 2, kind: "in-process" });
  });
  after(async () => { session.backend = local; await cluster.stop(); });

  /** The rows of `df` on the local engine and on the cluster, each checked against DuckDB. */
  async function check(df: DataFrame, sql: string, what: string): Promise<void> {
    const expected = await duckRows(sql);
    for (const [name, backend] of [["local", local], ["cluster", cluster.backend()]] as const) {
      session.backend = backend;
      assertRowsEqual(await df.collectArrays(), expected, { message: `${what} (${name})` });
    }
    session.backend = local;
  }

  it("a grouping over a repartition on its key aggregates in one step, with the repartition's Exchange only", async () => {
    const df = facts.repartition(5, "k").groupBy("k").agg(sum("v").alias("s"), count("*").alias("n"));
    assert.equal(exchanges(df), 1);
    assert.match(df.explain(false), /HashAggregateExec\(complete\)/);
    await check(df, "SELECT k, sum(v), count(*) FROM facts GROUP BY k", "repartition then group");
    // Partitioned by a subset of the grouping keys is enough.
    const wider = facts.repartition(5, "k").groupBy("k", "g").agg(count("*").alias("n"));
    assert.equal(exchanges(wider), 1);
    await check(wider, "SELECT k, g, count(*) FROM facts GROUP BY k, g", "group by a superset");
  });

  it("a grouping on the key of a shuffled join below it needs no Exchange of its own", async () => {
    for (const how of ["inner", "left"] as const) {
      const df = facts.join(dims, facts.col("k").eq(dims.col("k")), how).groupBy(facts.col("k")).agg(count("*").alias("n"), sum(facts.col("v")).alias("s"));
      assert.equal(exchanges(df), 2, `${how}: the join's two Exchanges only\n${df.explain(false)}`);
      await check(df, `SELECT f.k, count(*), sum(f.v) FROM facts f ${how === "left" ? "LEFT JOIN" : "JOIN"} dims d ON f.k = d.k GROUP BY f.k`, `${how} join then group`);
    }
  });

  it("joining an aggregate on its grouping key shuffles only the other side, into the aggregate's partitions", async () => {
    const agg = facts.groupBy("k").agg(sum("v").alias("s"));
    const df = agg.join(dims, agg.col("k").eq(dims.col("k"))).select(agg.col("k"), "s", "name");
    assert.equal(exchanges(df), 2, df.explain(false));
    await check(df, "SELECT a.k, a.s, d.name FROM (SELECT k, sum(v) AS s FROM facts GROUP BY k) a JOIN dims d ON a.k = d.k", "aggregate then join");
  });

  it("keeps the Exchange where placement does not hold: a full join's NULL-extended rows, another key", async () => {
    const full = facts.join(dims, facts.col("k").eq(dims.col("k")), "full").groupBy(facts.col("k")).agg(count("*").alias("n"));
    assert.equal(exchanges(full), 3, full.explain(false));
    await check(full, "SELECT f.k, count(*) FROM facts f FULL OUTER JOIN dims d ON f.k = d.k GROUP BY f.k", "full join then group");
    const other = facts.repartition(5, "k").groupBy("g").agg(count("*").alias("n"));
    assert.equal(exchanges(other), 2);
    await check(other, "SELECT g, count(*) FROM facts GROUP BY g", "group by another column");
  });
});
