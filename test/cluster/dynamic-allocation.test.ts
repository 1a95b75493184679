/**
 * Dynamic allocation: a cluster started with one executor grows to
 * `maxExecutors` while a stage's tasks wait, gives the right answer, and
 * after the job releases the idle executors back to `minExecutors`, except
 * one that holds cached blocks (releasing it would cost a recomputation).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import type { TaskDescription, TaskResult } from "../../src/executor/task.ts";

type Patchable = { runTask(t: TaskDescription): Promise<TaskResult> };

const until = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), what);
};

describe("dynamic allocation", () => {
  it("grows to maxExecutors under a backlog, then releases idle executors down to minExecutors, keeping cached blocks' holders", async () => {
    const cluster = await Cluster.start({ kind: "in-process", dynamicAllocation: { enabled: true, minExecutors: 1, maxExecutors: 3, executorIdleTimeout: 300, schedulerBacklogTimeout: 20 } });
    const log = new EventLog(cluster.bus);
    // Every executor's tasks take 40 ms, so a 24-task stage keeps a backlog.
    const slow = (id: string) => {
      const e = cluster.executors.find((x) => x.id === id) as unknown as Patchable;
      const run = e.runTask.bind(e);
      e.runTask = async (t) => { await new Promise((r) => setTimeout(r, 40)); return run(t); };
    };
    slow(cluster.executors[0]!.id);
    const off = cluster.bus.on((e) => { if (e.type === "ExecutorAdded") slow(e.executorId); });
    try {
      assert.equal(cluster.executors.filter((e) => e.isAlive).length, 1, "it starts with minExecutors");
      const session = new Session({ "shuffle.partitions": 4 });
      session.backend = cluster.backend();
      const df = session.createDataFrame(Array.from({ length: 2400 }, (_, i) => ({ k: i % 6, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 24 });
      const rows = await df.groupBy("k").agg(sum("v").alias("s")).orderBy("k").collectArrays();
      assert.deepEqual(rows.map((r) => Number(r[1])), [0, 1, 2, 3, 4, 5].map((k) => Array.from({ length: 400 }, (_, j) => k + 6 * j).reduce((a, b) => a + b, 0)));
      assert.equal(log.of("ExecutorAdded").length, 2, "two executors were added to the first");
      const used = new Set(log.of("TaskStart").map((e) => e.executorId));
      assert.equal(used.size, 3, "tasks ran on the added executors");

      // A cached DataFrame's blocks keep their holders.
      const cached = session.createDataFrame([{ x: 1 }, { x: 2 }, { x: 3 }], { schema: { x: "int" }, numPartitions: 3 }).cache();
      assert.equal(await cached.count(), 3);
      const holders = new Set(log.of("TaskEnd").filter((e) => e.metrics?.cachedBlocks?.length).map((e) => e.executorId));
      await until(() => log.of("ExecutorRemoved").length >= 3 - Math.max(1, holders.size), "idle executors were released");
      await new Promise((r) => setTimeout(r, 400));
      const removed = log.of("ExecutorRemoved");
      assert.ok(removed.every((e) => /idle for \d+ ms \(dynamicAllocation\.executorIdleTimeout is 300 ms\)/.test(e.reason)), JSON.stringify(removed));
      assert.ok(removed.every((e) => !holders.has(e.executorId)), "no executor holding cached blocks was released");
      assert.equal(cluster.executors.filter((e) => e.isAlive).length, Math.max(1, holders.size));
      assert.equal(await cached.count(), 3, "the cache still answers");
    } finally { off(); await cluster.stop(); }
  });
});
