/**
 * Task-level failures: a task that fails once is retried on another
 * executor and the job's answer is unchanged; a task that always fails
 * aborts the job after `task.maxFailures` with a typed JOB_ABORTED error;
 * a deterministic typed error fails the job at once, without retries.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum, CinderError, UnsupportedError } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import type { TaskDescription, TaskResult } from "../../src/executor/task.ts";

type Patchable = { runTask(t: TaskDescription): Promise<TaskResult> };

async function setup(maxFailures: number) {
  const session = new Session({ "shuffle.partitions": 3, "task.maxFailures": maxFailures });
  const df = session.createDataFrame(Array.from({ length: 300 }, (_, i) => ({ k: i % 7, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 3 });
  const expected = await df.groupBy("k").agg(sum("v")).collectArrays();
  const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
  session.backend = cluster.backend();
  return { df, expected, cluster, log: new EventLog(cluster.bus) };
}

const byKey = (rows: unknown[][]) => [...rows].sort((a, b) => Number(a[0]) - Number(b[0]));

describe("task retries", () => {
  it("retries a task that failed once on another executor", async () => {
    const { df, expected, cluster, log } = await setup(4);
    try {
      const victim = cluster.executors[0] as unknown as Patchable;
      const original = victim.runTask.bind(victim);
      let failed = false;
      victim.runTask = (t) => {
        if (!failed) { failed = true; return Promise.reject(new Error("transient: disk hiccup")); }
        return original(t);
      };
      assert.deepEqual(byKey(await df.groupBy("k").agg(sum("v")).collectArrays()), byKey(expected));
      const bad = log.of("TaskEnd").find((e) => e.result === "failed")!;
      assert.match(bad.failureReason!, /disk hiccup/);
      const retry = log.of("TaskStart").find((e) => e.stageId === bad.stageId && e.partition === bad.partition && e.attempt === 1)!;
      assert.ok(retry, "the task was launched again");
      assert.notEqual(retry.executorId, bad.executorId, "on the other executor");
    } finally { await cluster.stop(); }
  });

  it("aborts the job after task.maxFailures attempts of one task", async () => {
    const { df, cluster, log } = await setup(3);
    try {
      for (const e of cluster.executors) {
        const x = e as unknown as Patchable;
        const original = x.runTask.bind(x);
        x.runTask = (t) => (t.partition === 1 && t.output.kind === "shuffle" ? Promise.reject(new Error("always broken")) : original(t));
      }
      await assert.rejects(df.groupBy("k").agg(sum("v")).collectArrays(), (e: unknown) => {
        assert.ok(CinderError.is(e));
        assert.equal(e.code, "JOB_ABORTED");
        assert.match(e.message, /failed 3 times .*task\.maxFailures = 3.*always broken/);
        return true;
      });
      assert.equal(log.of("TaskEnd").filter((e) => e.result === "failed").length, 3);
    } finally { await cluster.stop(); }
  });

  it("fails at once, with the error itself, on a deterministic typed error", async () => {
    const { df, cluster, log } = await setup(4);
    try {
      for (const e of cluster.executors) {
        (e as unknown as Patchable).runTask = () => Promise.reject(new UnsupportedError("no such kernel yet"));
      }
      await assert.rejects(df.groupBy("k").agg(sum("v")).collectArrays(), (e: unknown) => e instanceof UnsupportedError && e.code === "UNSUPPORTED");
      assert.equal(log.of("TaskStart").filter((e) => e.attempt > 0).length, 0, "no retries");
    } finally { await cluster.stop(); }
  });
});
