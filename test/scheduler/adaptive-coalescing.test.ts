/**
 * Adaptive coalescing of shuffle partitions (Spark's AQE CoalesceShufflePartitions)
 * on a cluster: 200 small shuffle partitions run as a few tasks (never fewer
 * than the cluster's cores), each reading neighbouring partitions, in result
 * stages and in map stages that read shuffles (which then write fewer map
 * outputs); answers equal DuckDB's for a group-by, a sort (order kept), a
 * shuffled join, and a join feeding a grouping with an executor lost in the
 * middle; `adaptive.enabled = 0` and a tiny advisory size keep one task per
 * partition, and a stage that also scans input is left alone.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session, sum, count, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

describe("adaptive coalescing of shuffle partitions", () => {
  const session = new Session({ "shuffle.partitions": 200, autoBroadcastJoinThreshold: 0 });
  let facts: DataFrame, dims: DataFrame, cluster: Cluster, log: EventLog;
  before(async () => {
    ({ facts, dims } = (await loadTables(session, ["facts", "dims"], 3)) as { facts: DataFrame; dims: DataFrame });
    cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
  });
  after(async () => { await cluster.stop(); });

  const resultStage = () => log.of("StageSubmitted").filter((e) => e.kind === "result").at(-1)!;

  it("runs a group-by's 200 small shuffle partitions as a few tasks, one per core or more", async () => {
    log.clear();
    const rows = await facts.groupBy("k").agg(sum("v").alias("s"), count("*").alias("n")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT k, sum(v), count(*) FROM facts GROUP BY k"));
    const stage = resultStage();
    assert.equal(stage.coalescedFrom, 200);
    assert.ok(stage.numTasks >= 2 && stage.numTasks <= 4, `${stage.numTasks} tasks`);
    assert.equal(log.of("TaskEnd").filter((e) => e.stageId === stage.stageId).length, stage.numTasks);
  });

  it("keeps a global sort's order and a shuffled join's matches when partitions are read together", async () => {
    log.clear();
    const sorted = await facts.orderBy(col("v").desc(), col("id")).select("id", "v").collectArrays();
    assertRowsEqual(sorted, await duckRows("SELECT id, v FROM facts ORDER BY v DESC NULLS LAST, id"), { ordered: true });
    assert.equal(resultStage().coalescedFrom, 200);
    log.clear();
    const joined = await facts.join(dims, facts.col("k").eq(dims.col("k"))).select(facts.col("id"), dims.col("name")).collectArrays();
    assertRowsEqual(joined, await duckRows("SELECT f.id, d.name FROM facts f JOIN dims d ON f.k = d.k"));
    assert.ok(resultStage().numTasks < 200);
  });

  it("coalesces a map stage that reads shuffles, and reruns only a lost executor's coalesced map outputs", async () => {
    const query = () => facts.join(dims, facts.col("k").eq(dims.col("k"))).groupBy(dims.col("grp")).agg(count("*").alias("n"), sum(facts.col("v")).alias("s"));
    const sql = "SELECT d.grp, count(*), sum(f.v) FROM facts f JOIN dims d ON f.k = d.k GROUP BY d.grp";
    log.clear();
    assertRowsEqual(await query().collectArrays(), await duckRows(sql));
    const joinStage = log.of("StageSubmitted").find((e) => e.kind === "shuffleMap" && e.coalescedFrom === 200);
    assert.ok(joinStage && joinStage.numTasks < 200, `the join's map stage is coalesced: ${JSON.stringify(log.of("StageSubmitted").map((e) => [e.kind, e.numTasks, e.coalescedFrom]))}`);
    // Kill the executor that wrote the first coalesced join output, once the final stage starts.
    const lossCluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const lossLog = new EventLog(lossCluster.bus);
    session.backend = lossCluster.backend();
    let killed = "";
    const off = lossCluster.bus.on((e) => {
      if (killed || e.type !== "StageSubmitted" || e.kind !== "result") return;
      const coalescedMap = lossLog.of("StageSubmitted").find((s) => s.kind === "shuffleMap" && s.coalescedFrom !== undefined);
      const writer = lossLog.of("TaskEnd").find((t) => t.stageId === coalescedMap?.stageId && t.result === "success");
      if (writer) { killed = writer.executorId; lossCluster.kill(killed, "test: killed after writing coalesced map outputs"); }
    });
    try {
      assertRowsEqual(await query().collectArrays(), await duckRows(sql), { message: "after a loss" });
      assert.ok(killed, "an executor that wrote coalesced map outputs was killed");
      const coalescedMap = lossLog.of("StageSubmitted").find((s) => s.kind === "shuffleMap" && s.coalescedFrom !== undefined)!;
      const reruns = lossLog.of("StageSubmitted").filter((s) => s.stageId === coalescedMap.stageId && s.attempt > 0);
      assert.ok(reruns.length >= 1, "the coalesced map stage reran");
      assert.ok(reruns.every((r) => r.partitions.every((p) => p < coalescedMap.numTasks)), "reruns use the coalesced task numbers");
    } finally { off(); session.backend = cluster.backend(); await lossCluster.stop(); }
  });

  it("keeps one task per partition when turned off, when the advisory size is tiny, and for a stage that scans", async () => {
    // 2000 distinct ids fill all 200 partitions, so a tiny advisory size leaves each partition its own task
    // (empty partitions would still be merged with a neighbour, as in Spark).
    const query = () => facts.groupBy("id").agg(count("*").alias("n"));
    for (const [key, value] of [["adaptive.enabled", 0], ["adaptive.advisoryPartitionSizeInBytes", 1]] as const) {
      session.conf.set(key, value);
      try {
        log.clear();
        assertRowsEqual(await query().collectArrays(), await duckRows("SELECT id, count(*) FROM facts GROUP BY id"));
        const stage = resultStage();
        assert.equal(stage.numTasks, 200, key);
        assert.equal(stage.coalescedFrom, undefined);
      } finally { session.conf.set(key, key === "adaptive.enabled" ? 1 : 8 * 1024 * 1024); }
    }
    // A union of a scan and an aggregate: the stage reads scan partitions too, so its partitions are not merged.
    log.clear();
    const both = facts.select("k").union(facts.groupBy("k").agg(count("*").alias("n")).select("k"));
    const groups = Number((await duckRows("SELECT count(*) FROM (SELECT DISTINCT k FROM facts)"))[0]![0]);
    assert.equal((await both.collectArrays()).length, 2000 + groups);
    assert.equal(resultStage().coalescedFrom, undefined);
  });
});
