/**
 * Speculation (Spark's spark.speculation): with one slow executor, the
 * stragglers of a stage are launched again elsewhere once most tasks are
 * done; the first copy to succeed wins, the losing copy is asked to stop,
 * and the answer is the same. Off (the default), nothing is copied.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum, count } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { TaskSetManager } from "../../src/scheduler/task-set-manager.ts";
import type { Stage } from "../../src/scheduler/stage.ts";
import type { TaskDescription, TaskResult } from "../../src/executor/task.ts";

type Patchable = { runTask(t: TaskDescription): Promise<TaskResult>; killTask(id: number, reason: string): Promise<void> };

async function clusterWithOneSlowExecutor(speculation: boolean) {
  const session = new Session({ "shuffle.partitions": 3, speculation: speculation ? 1 : 0, "speculation.minTaskRuntime": 50, "speculation.interval": 20 });
  const df = session.createDataFrame(Array.from({ length: 1200 }, (_, i) => ({ k: i % 7, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 12 });
  const cluster = await Cluster.start({ executors: 3, kind: "in-process" });
  session.backend = cluster.backend();
  const slow = cluster.executors[0]! as unknown as Patchable;
  const kills: string[] = [];
  const run = slow.runTask.bind(slow), kill = slow.killTask.bind(slow);
  slow.runTask = async (t) => { await new Promise((r) => setTimeout(r, 1500)); return run(t); };
  slow.killTask = async (id, reason) => { kills.push(reason); return kill(id, reason); };
  return { session, df, cluster, log: new EventLog(cluster.bus), slowId: cluster.executors[0]!.id, kills };
}

const expected = Array.from({ length: 7 }, (_, k) => {
  const vs = Array.from({ length: 1200 }, (_, i) => i).filter((i) => i % 7 === k);
  return [k, vs.reduce((a, b) => a + b, 0), vs.length];
});

describe("speculation", () => {
  it("copies the slow executor's stragglers to others; the first copy wins and the loser is told to stop", async () => {
    const { df, cluster, log, slowId, kills } = await clusterWithOneSlowExecutor(true);
    try {
      const rows = await df.groupBy("k").agg(sum("v").alias("s"), count("v").alias("n")).orderBy("k").collectArrays();
      assert.deepEqual(rows, expected);
      const copies = log.of("TaskStart").filter((e) => e.speculative);
      assert.ok(copies.length > 0, "stragglers were copied");
      for (const c of copies) {
        const original = log.of("TaskStart").find((e) => e.stageId === c.stageId && e.partition === c.partition && !e.speculative && e.stageAttempt === c.stageAttempt)!;
        assert.equal(original.executorId, slowId, "only the slow executor's tasks are stragglers");
        assert.notEqual(c.executorId, slowId, "a copy runs on another executor");
      }
      assert.ok(kills.some((r) => /another attempt of partition \d+ succeeded first/.test(r)), `the losing copies were told to stop (${kills.join("; ")})`);
      const jobEnd = log.of("JobEnd")[0]!;
      const slowEnds = log.of("TaskEnd").filter((e) => e.executorId === slowId);
      assert.ok(log.of("TaskStart").filter((e) => e.executorId === slowId).length > slowEnds.filter((e) => e.time <= jobEnd.time).length,
        "the job ended without waiting for every slow attempt");
    } finally { await cluster.stop(); }
  });

  it("off by default: no task is copied, and the job waits for the slow executor", async () => {
    const { df, cluster, log, slowId } = await clusterWithOneSlowExecutor(false);
    try {
      const rows = await df.groupBy("k").agg(sum("v").alias("s"), count("v").alias("n")).orderBy("k").collectArrays();
      assert.deepEqual(rows, expected);
      assert.equal(log.of("TaskStart").filter((e) => e.speculative).length, 0);
      const jobEnd = log.of("JobEnd")[0]!;
      assert.ok(log.of("TaskEnd").filter((e) => e.executorId === slowId).every((e) => e.time <= jobEnd.time));
    } finally { await cluster.stop(); }
  });

  it("TaskSetManager: a straggler is one past multiplier x the median, after quantile of the tasks succeeded", () => {
    const stage = { id: 0 } as unknown as Stage;
    const ts = new TaskSetManager(stage, 0, [0, 1, 2, 3], () => [], 0, 0, false, { multiplier: 2, quantile: 0.5, minRuntimeMs: 10 });
    for (const e of ["a", "a", "b", "c"]) assert.ok(ts.resourceOffer(e, ["a", "b", "c"], 0));
    ts.taskSucceeded(1, 0, 100);
    assert.equal(ts.checkSpeculatable(150), false, "1 of 4 done: under the quantile");
    ts.taskSucceeded(2, 0, 100);
    assert.equal(ts.checkSpeculatable(150), false, "150 ms is under 2 x the 100 ms median");
    assert.equal(ts.checkSpeculatable(250), true);
    // Partitions 0 (on a) and 3 (on c) are stragglers; a copy never goes where the original runs.
    assert.deepEqual(ts.resourceOffer("a", ["a", "b", "c"], 250), { partition: 3, attempt: 1, speculative: true });
    assert.deepEqual(ts.resourceOffer("c", ["a", "b", "c"], 250), { partition: 0, attempt: 1, speculative: true });
    assert.equal(ts.resourceOffer("b", ["a", "b", "c"], 250), null, "one copy per straggler");
    assert.deepEqual(ts.taskSucceeded(0, 1, 300), [0], "the copy won: attempt 0 is to be killed");
    assert.equal(ts.taskFailed(0, 0, "a"), 0, "the killed loser is no failure");
    assert.equal(ts.isDone, false);
    assert.deepEqual(ts.taskSucceeded(3, 0, 400), [1], "the original won this time");
    assert.equal(ts.taskFailed(3, 1, "a"), 0);
    assert.equal(ts.isDone, true);
  });
});
