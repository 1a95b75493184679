/**
 * Cancelling (the notebook's Cancel button): `cluster.cancelAllJobs()`
 * fails the running job at once with JOB_ABORTED, launches none of its
 * remaining tasks, and leaves the cluster able to run the next job. Stage
 * submissions name the operators their tasks run.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum, col, CinderError } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import type { TaskDescription, TaskResult } from "../../src/executor/task.ts";

type Patchable = { runTask(t: TaskDescription): Promise<TaskResult> };

/** 2 in-process executors whose tasks each take 30 ms, so a job is still running when it is cancelled. */
async function slowCluster() {
  const session = new Session({ "shuffle.partitions": 4 });
  const df = session.createDataFrame(Array.from({ length: 400 }, (_, i) => ({ k: i % 5, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 8 });
  const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
  session.backend = cluster.backend();
  for (const e of cluster.executors as unknown as Patchable[]) {
    const original = e.runTask.bind(e);
    e.runTask = async (t) => { await new Promise((r) => setTimeout(r, 30)); return original(t); };
  }
  return { df, cluster, log: new EventLog(cluster.bus) };
}

describe("cancelAllJobs", () => {
  it("fails the running job with JOB_ABORTED, starts no more of its tasks, and the next job runs", async () => {
    const { df, cluster, log } = await slowCluster();
    try {
      // The first task to start cancels everything.
      const stop = cluster.bus.on((e) => { if (e.type === "TaskStart") cluster.cancelAllJobs(); });
      await assert.rejects(df.groupBy("k").agg(sum("v")).collect(), (e) => CinderError.is(e) && e.code === "JOB_ABORTED" && /cancelled/.test(e.message));
      stop();
      const startsAtCancel = log.of("TaskStart").length;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(log.of("TaskStart").length, startsAtCancel, "no task of the cancelled job launched afterwards");
      assert.equal(log.of("JobEnd").at(-1)!.result, "failed");

      const rows = await df.groupBy("k").agg(sum("v").alias("s")).orderBy("k").collect();
      assert.deepEqual(rows.map((r) => Number(r.s)), [0, 1, 2, 3, 4].map((k) => Array.from({ length: 80 }, (_, j) => k + 5 * j).reduce((a, b) => a + b, 0)));
      const submitted = log.of("StageSubmitted");
      assert.ok(submitted.some((s) => s.operators.some((o) => o.startsWith("HashAggregateExec(partial)"))), JSON.stringify(submitted.map((s) => s.operators)));
      assert.ok(submitted.some((s) => s.kind === "result" && s.operators.some((o) => o.startsWith("Exchange "))), "the reduce stage names the shuffle it reads");
    } finally { await cluster.stop(); }
  });
});

describe("cancelling one query with an AbortSignal", () => {
  it("on a cluster: the query fails with JOB_ABORTED at once, none of its remaining tasks start, the next query runs", async () => {
    const { df, cluster, log } = await slowCluster();
    try {
      const controller = new AbortController();
      const stop = cluster.bus.on((e) => { if (e.type === "TaskStart") controller.abort("the user pressed Cancel"); });
      await assert.rejects(df.groupBy("k").agg(sum("v")).collect({ signal: controller.signal }),
        (e) => CinderError.is(e) && e.code === "JOB_ABORTED" && /cancelled: the user pressed Cancel/.test(e.message));
      stop();
      const startsAtCancel = log.of("TaskStart").length;
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(log.of("TaskStart").length, startsAtCancel, "no task of the cancelled query launched afterwards");
      assert.equal(log.of("JobEnd").at(-1)!.result, "failed");
      // The signal stays aborted; other queries are not touched by it.
      assert.equal((await df.groupBy("k").count().collect()).length, 5);
    } finally { await cluster.stop(); }
  });

  it("in process: an aborted signal stops the query before it runs, with JOB_ABORTED", async () => {
    const session = new Session();
    const df = session.createDataFrame([{ k: 1 }], { schema: { k: "int" } });
    await assert.rejects(df.collectArrays({ signal: AbortSignal.abort() }), (e) => CinderError.is(e) && e.code === "JOB_ABORTED");
    assert.deepEqual(await df.collectArrays(), [[1]]);
  });

  it("a signal that is never aborted changes nothing and keeps no listener after the query", async () => {
    const session = new Session({ "shuffle.partitions": 2 });
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    session.backend = cluster.backend();
    try {
      const controller = new AbortController();
      let listeners = 0;
      const add = controller.signal.addEventListener.bind(controller.signal), remove = controller.signal.removeEventListener.bind(controller.signal);
      controller.signal.addEventListener = ((...a: Parameters<typeof add>) => { listeners++; add(...a); }) as typeof add;
      controller.signal.removeEventListener = ((...a: Parameters<typeof remove>) => { listeners--; remove(...a); }) as typeof remove;
      const df = session.createDataFrame(Array.from({ length: 50 }, (_, i) => ({ k: i % 3 })), { schema: { k: "int" }, numPartitions: 4 });
      assert.equal((await df.groupBy("k").count().collect({ signal: controller.signal })).length, 3);
      assert.equal(listeners, 0, "every abort listener was removed when the query ended");
    } finally { await cluster.stop(); }
  });
});

describe("a job handle: collectAsync() and session.cancelAllJobs()", () => {
  it("job.cancel() fails the awaited action with JOB_ABORTED and the reason; a finished action ignores it", async () => {
    const { df, cluster, log } = await slowCluster();
    try {
      const job = df.groupBy("k").agg(sum("v")).collectAsync();
      const stop = cluster.bus.on((e) => { if (e.type === "TaskStart") job.cancel("the user pressed Cancel"); });
      await assert.rejects(Promise.resolve(job), (e) => CinderError.is(e) && e.code === "JOB_ABORTED" && /the user pressed Cancel/.test(e.message));
      stop();
      assert.equal(job.isCancelled, true);
      assert.equal(log.of("JobEnd").at(-1)!.result, "failed");
      const done = df.groupBy("k").count().collectAsync();
      assert.equal((await done).length, 5);
      done.cancel();
      assert.equal((await done).length, 5, "cancelling after the end changes nothing");
    } finally { await cluster.stop(); }
  });

  it("session.cancelAllJobs() stops every running query of the session, on the local engine inside a partition too", async () => {
    const session = new Session();
    // One partition of 300M rows: only a stop between batches can end it early.
    const long = session.range(0, 300_000_000).groupBy(col("id").mod(3).alias("m")).count();
    const a = long.collectAsync(), b = long.collect();
    setTimeout(() => session.cancelAllJobs("closing the tab"), 50);
    for (const run of [Promise.resolve(a), b]) {
      await assert.rejects(run, (e) => CinderError.is(e) && e.code === "JOB_ABORTED" && /closing the tab/.test(e.message));
    }
    assert.deepEqual(await session.range(0, 10).groupBy(col("id").mod(2).alias("m")).count().orderBy("m").collectArrays(), [[0, 5], [1, 5]]);
  });
});
