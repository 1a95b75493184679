/**
 * Join strategies on a cluster: `df.hint("broadcast")` forces a broadcast
 * hash join even when broadcasting is off by size, and a join whose sides
 * are above `autoBroadcastJoinThreshold` runs as shuffle + sort-merge join
 * (the cluster's planner default). `explain()` shows the strategy, the
 * events show the stages it implies, and results equal DuckDB's with 1, 2
 * and 4 executors.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import type { ExecutorKind } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const setups: [ExecutorKind, number][] = [["in-process", 1], ["in-process", 2], ["in-process", 4], ["worker-thread", 2]];

for (const [kind, executors] of setups) {
  describe(`join strategies on a cluster (${kind}, ${executors} executors)`, () => {
    // The task counts are what these tests check: adaptive coalescing (its own tests) stays off.
    const session = new Session({ "shuffle.partitions": 4, "adaptive.enabled": 0 });
    let facts: DataFrame, dims: DataFrame;
    let cluster: Cluster;
    let log: EventLog;
    before(async () => {
      ({ facts, dims } = await loadTables(session, ["facts", "dims"], 3) as { facts: DataFrame; dims: DataFrame });
      cluster = await Cluster.start({ executors, kind });
      session.backend = cluster.backend();
      log = new EventLog(cluster.bus);
    });
    after(async () => { await cluster.stop(); });

    it("hint('broadcast') forces a broadcast hash join with broadcasting off by size", async () => {
      session.conf.set("autoBroadcastJoinThreshold", 0);
      try {
        const joined = facts.join(dims.hint("broadcast"), "k").select("id", "name", "v");
        const plan = joined.explain(false);
        assert.match(plan, /BroadcastHashJoinExec inner/);
        assert.match(plan, /BroadcastExchange/);
        assert.doesNotMatch(plan, /SortMergeJoinExec|ShuffledHashJoinExec/);
        log.clear();
        assertRowsEqual(await joined.collectArrays(), await duckRows("SELECT id, name, v FROM facts JOIN dims USING (k)"));
        const stages = log.of("StageSubmitted");
        assert.equal(stages.filter((s) => s.kind === "shuffleMap").length, 1, "one map stage: the broadcast side");
        assert.equal(stages.find((s) => s.kind === "shuffleMap")!.numTasks, 3, "the broadcast side's 3 partitions; the facts are not shuffled");
      } finally { session.conf.set("autoBroadcastJoinThreshold", 10 * 1024 * 1024); }
    });

    it("without the hint the same join is shuffled and sort-merged", async () => {
      session.conf.set("autoBroadcastJoinThreshold", 0);
      try {
        const joined = facts.join(dims, "k").select("id", "name", "v");
        const plan = joined.explain(false);
        assert.match(plan, /SortMergeJoinExec inner/);
        assert.equal(plan.match(/Exchange hashpartitioning/g)?.length, 2, plan);
        assertRowsEqual(await joined.collectArrays(), await duckRows("SELECT id, name, v FROM facts JOIN dims USING (k)"));
      } finally { session.conf.set("autoBroadcastJoinThreshold", 10 * 1024 * 1024); }
    });

    it("join.preferSortMerge=0 makes the same join a shuffled hash join on a cluster too", async () => {
      session.conf.set("autoBroadcastJoinThreshold", 0);
      session.conf.set("join.preferSortMerge", 0);
      try {
        const joined = facts.join(dims, "k").select("id", "name", "v");
        const plan = joined.explain(false);
        assert.match(plan, /ShuffledHashJoinExec inner/);
        assert.doesNotMatch(plan, /SortMergeJoinExec/);
        assertRowsEqual(await joined.collectArrays(), await duckRows("SELECT id, name, v FROM facts JOIN dims USING (k)"));
      } finally {
        session.conf.set("autoBroadcastJoinThreshold", 10 * 1024 * 1024);
        session.conf.set("join.preferSortMerge", -1);
      }
    });

    for (const how of ["inner", "left", "full", "left_anti"]) {
      it(`a ${how} join above autoBroadcastJoinThreshold is shuffle + sort-merge join`, async () => {
        session.conf.set("autoBroadcastJoinThreshold", 2048); // both sides estimate above 2 KB
        try {
          const right = facts.filter(col("g").lt(3)).select(col("k").alias("k2"), col("s").alias("s2"), col("id").alias("id2"));
          const joined = facts.join(right, facts.col("k").eq(right.col("k2")).and(facts.col("id").lt(right.col("id2").plus(40))), how);
          const selected = how === "left_anti" ? joined.select("id") : joined.select("id", "id2", "s2");
          const plan = selected.explain(false);
          assert.match(plan, new RegExp(`SortMergeJoinExec ${how}`));
          assert.doesNotMatch(plan, /Broadcast/);
          log.clear();
          const rows = await selected.collectArrays();
          const sqlJoin = { inner: "JOIN", left: "LEFT JOIN", full: "FULL JOIN", left_anti: "ANTI JOIN" }[how];
          const r = "(SELECT k AS k2, s AS s2, id AS id2 FROM facts WHERE g < 3) r";
          assertRowsEqual(rows, await duckRows(`SELECT id${how === "left_anti" ? "" : ", id2, s2"} FROM facts ${sqlJoin} ${r} ON facts.k = r.k2 AND facts.id < r.id2 + 40`));
          const stages = log.of("StageSubmitted");
          assert.equal(stages.filter((s) => s.kind === "shuffleMap").length, 2, "both sides are shuffled");
          assert.equal(stages.find((s) => s.kind === "result")!.numTasks, 4, "the join runs in shuffle.partitions tasks");
        } finally { session.conf.set("autoBroadcastJoinThreshold", 10 * 1024 * 1024); }
      });
    }
  });
}
