/**
 * `Cluster.attach` sizes the pool from the session's `executor.instances`
 * and `executor.cores`, runs the session's jobs, and with several cores per
 * executor runs that many tasks of a stage at once on one executor.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";

describe("Cluster.attach", () => {
  it("takes executor.instances and executor.cores from the session and runs its jobs", async () => {
    const session = new Session({ "executor.instances": 3, "executor.cores": 2, "shuffle.partitions": 4 });
    const df = session.createDataFrame(Array.from({ length: 400 }, (_, i) => ({ k: i % 9, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 6 });
    const local = await df.groupBy("k").agg(sum("v")).collectArrays();
    const cluster = await Cluster.attach(session, "in-process");
    try {
      assert.equal(cluster.executors.length, 3);
      assert.ok(cluster.executors.every((e) => e.cores === 2));
      const log = new EventLog(cluster.bus);
      let running = 0, peak = 0;
      cluster.bus.on((e) => {
        if (e.type === "TaskStart") peak = Math.max(peak, ++running);
        if (e.type === "TaskEnd") running--;
      });
      const rows = await df.groupBy("k").agg(sum("v")).collectArrays();
      assert.deepEqual([...rows].sort((a, b) => Number(a[0]) - Number(b[0])), [...local].sort((a, b) => Number(a[0]) - Number(b[0])));
      assert.equal(peak, 6, "3 executors x 2 cores run the 6 map tasks at once");
      assert.equal(new Set(log.of("TaskStart").map((e) => e.executorId)).size, 3);
    } finally {
      await cluster.stop();
    }
  });
});
