/**
 * `task.timeout`: a task running past it is killed and counts as a failed
 * attempt (retried up to task.maxFailures, then the job fails naming the
 * setting). A task that stops when killed leaves its executor alone; one
 * stuck in a user function that never returns does not stop, so its
 * executor is declared hung, killed and replaced, and the next job runs.
 * On worker threads, so a hung task does not hang the test's own thread.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, col, CinderError } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";

describe("task.timeout", { timeout: 120_000 }, () => {
  it("kills a task past the timeout, retries it, then fails the job with TASK_TIMEOUT named; the executors stay", async () => {
    const cluster = await Cluster.start({ executors: 2, kind: "worker-thread" });
    const log = new EventLog(cluster.bus);
    try {
      const session = new Session({ "task.timeout": 300, "task.maxFailures": 2, "speculation.interval": 20 });
      session.backend = cluster.backend();
      const long = session.range(0, 2_000_000_000, 1, 1).groupBy(col("id").mod(3).alias("m")).count();
      await assert.rejects(long.collectArrays(), (e) => CinderError.is(e) && e.code === "JOB_ABORTED"
        && /failed 2 times \(task\.maxFailures = 2\).*ran longer than task\.timeout \(300 ms\)/.test(e.message));
      const ends = log.of("TaskEnd").filter((e) => e.result !== "success");
      assert.equal(ends.length, 2);
      assert.ok(ends.every((e) => e.result === "failed" && e.error?.code === "TASK_TIMEOUT"), JSON.stringify(ends.map((e) => e.error?.code)));
      assert.equal(log.of("ExecutorRemoved").length, 0, "a task that stops when killed does not cost its executor");
      session.conf.set("task.timeout", 0);
      assert.equal((await session.range(0, 100, 1, 2).groupBy(col("id").mod(3).alias("m")).count().collectArrays()).length, 3);
    } finally { await cluster.stop(); }
  });

  it("an executor stuck in a user function is killed and replaced; the job fails clearly and the next one runs", async () => {
    const cluster = await Cluster.start({ executors: 2, kind: "worker-thread" });
    const log = new EventLog(cluster.bus);
    try {
      const session = new Session({ "task.timeout": 200, "task.maxFailures": 2, "speculation.interval": 20 });
      session.backend = cluster.backend();
      const stuck = session.parallelize([1, 2, 3, 4], 1).map((x) => { while (x > 0) { /* never returns */ } return x; });
      await assert.rejects(stuck.collect(), (e) => CinderError.is(e) && e.code === "JOB_ABORTED" && /ran longer than task\.timeout \(200 ms\)/.test(e.message));
      const removed = log.of("ExecutorRemoved");
      assert.equal(removed.length, 2, "each attempt's executor was hung and removed");
      assert.ok(removed.every((e) => /did not stop when killed: the executor is hung/.test(e.reason)), JSON.stringify(removed.map((e) => e.reason)));
      for (let i = 0; i < 100 && cluster.executors.filter((e) => e.isAlive).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(cluster.executors.filter((e) => e.isAlive).length, 2, "both were replaced");
      assert.deepEqual(await session.parallelize([1, 2, 3], 2).map((x) => x * 2).collect(), [2, 4, 6]);
    } finally { await cluster.stop(); }
  });
});
