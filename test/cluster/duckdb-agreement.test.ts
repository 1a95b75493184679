/**
 * Jobs on a cluster agree with DuckDB on the shared test tables (NULL keys,
 * skew, strings, dates, decimals): group-by, every join strategy and a
 * global sort, with 1, 2 and 4 in-process executors and 2 worker threads.
 */
import { describe, it, before, after } from "node:test";
import { Session, col, sum, count, avg, max } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import type { ExecutorKind } from "../../src/cluster/cluster.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const setups: [ExecutorKind, number][] = [["in-process", 1], ["in-process", 2], ["in-process", 4], ["worker-thread", 2]];

for (const [kind, executors] of setups) {
  describe(`cluster (${kind}, ${executors} executors) agrees with DuckDB`, () => {
    const session = new Session({ "shuffle.partitions": 6 });
    let cluster: Cluster;
    let facts: DataFrame, dims: DataFrame;
    before(async () => {
      ({ facts, dims } = await loadTables(session, ["facts", "dims"], 3) as { facts: DataFrame; dims: DataFrame });
      cluster = await Cluster.start({ executors, kind });
      session.backend = cluster.backend();
    });
    after(async () => { await cluster.stop(); });

    it("group-by with several aggregates", async () => {
      const rows = await facts.groupBy("k", "g").agg(sum("v"), count("v"), avg("p"), max("s")).collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT k, g, sum(v), count(v), avg(p), max(s) FROM facts GROUP BY k, g"));
    });

    it("broadcast hash join", async () => {
      const rows = await facts.join(dims, "k").select("id", "name", "v").collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT id, name, v FROM facts JOIN dims USING (k)"));
    });

    for (const how of ["inner", "left", "full", "left_semi", "left_anti"]) {
      it(`shuffled ${how} join`, async () => {
        session.conf.set("autoBroadcastJoinThreshold", 0);
        try {
          const joined = facts.join(dims, facts.col("k").eq(dims.col("k")), how);
          const semi = how === "left_semi" || how === "left_anti";
          const rows = await (semi ? joined.select(facts.col("id")) : joined.select(facts.col("id"), dims.col("name"))).collectArrays();
          const sqlJoin = { inner: "JOIN", left: "LEFT JOIN", full: "FULL JOIN", left_semi: "SEMI JOIN", left_anti: "ANTI JOIN" }[how];
          assertRowsEqual(rows, await duckRows(`SELECT facts.id${semi ? "" : ", dims.name"} FROM facts ${sqlJoin} dims ON facts.k = dims.k`));
        } finally { session.conf.set("autoBroadcastJoinThreshold", 10 * 1024 * 1024); }
      });
    }

    it("global sort", async () => {
      const rows = await facts.orderBy(col("s").desc(), col("id")).select("s", "id").collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT s, id FROM facts ORDER BY s DESC, id"), { ordered: true });
    });
  });
}
