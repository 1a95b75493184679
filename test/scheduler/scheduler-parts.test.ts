/**
 * The scheduler's parts on their own: stage cutting at Exchanges, the
 * MapOutputTracker's bookkeeping on executor loss, the TaskSetManager's
 * locality wait and retry placement, and the TaskScheduler's one queued
 * task per worker executor.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum } from "../../src/index.ts";
import { buildStages, allStages } from "../../src/scheduler/stage.ts";
import { MapOutputTracker } from "../../src/scheduler/map-output-tracker.ts";
import { TaskSetManager } from "../../src/scheduler/task-set-manager.ts";
import { TaskScheduler } from "../../src/scheduler/task-scheduler.ts";
import type { TaskLaunch } from "../../src/scheduler/task-scheduler.ts";
import type { Executor } from "../../src/executor/executor.ts";
import type { TaskResult } from "../../src/executor/task.ts";
import { physicalChildren } from "../../src/physical/physical-plan.ts";
import type { PhysicalPlan } from "../../src/physical/physical-plan.ts";

function nodes(p: PhysicalPlan): PhysicalPlan[] {
  return [p, ...physicalChildren(p).flatMap(nodes)];
}

describe("stage cutting", () => {
  const session = new Session({ "shuffle.partitions": 3 });
  const facts = session.createDataFrame(Array.from({ length: 50 }, (_, i) => ({ k: i % 7, v: i })), { schema: { k: "int", v: "double" }, numPartitions: 4 });
  const dims = session.createDataFrame(Array.from({ length: 7 }, (_, i) => ({ k: i, n: `n${i}` })), { schema: { k: "int", n: "string" }, numPartitions: 2 });
  let ids = 0;
  const counters = () => ({ nextStageId: () => ids++, nextShuffleId: () => ids++ });
  const physical = (df: ReturnType<typeof facts.select>) => session.planPhysical(session.optimize(df.plan));

  it("cuts a partial/final aggregation into a map stage and a result stage", () => {
    const result = buildStages(physical(facts.groupBy("k").agg(sum("v"))), 0, counters());
    const stages = allStages(result);
    assert.equal(stages.length, 2);
    assert.equal(stages[0]!.kind, "shuffleMap");
    assert.equal(stages[0]!.numTasks, 4);
    assert.equal(stages[0]!.shuffle!.partitioning.kind, "hash");
    assert.equal(result.numTasks, 3);
    assert.deepEqual(result.parents, [stages[0]]);
    // The result fragment reads the exchange from blocks: its input is an empty leaf, not the map side's plan.
    const exchange = nodes(result.fragment).find((n) => n.type === "ShuffleExchangeExec")!;
    assert.equal(physicalChildren(exchange)[0]!.type, "EmptyExec");
    assert.ok(!nodes(result.fragment).some((n) => n.type === "ScanExec"));
    assert.equal(result.inputs.get((exchange as { exchangeId: number }).exchangeId), stages[0]!.shuffle!.shuffleId);
  });

  it("turns a broadcast into a one-partition map stage and a shuffled join into two parents", () => {
    const broadcast = allStages(buildStages(physical(facts.join(dims, "k")), 0, counters()));
    assert.equal(broadcast.length, 2);
    assert.equal(broadcast[0]!.shuffle!.partitioning.kind, "single");
    session.conf.set("autoBroadcastJoinThreshold", 0);
    const shuffled = buildStages(physical(facts.join(dims, "k")), 0, counters());
    session.conf.set("autoBroadcastJoinThreshold", 10 * 1024 * 1024);
    assert.equal(shuffled.parents.length, 2);
    assert.deepEqual(shuffled.parents.map((p) => p.numTasks).sort(), [2, 4]);
  });

  it("leaves a narrow plan as a single result stage", () => {
    const result = buildStages(physical(facts.filter("v > 3").select("k")), 0, counters());
    assert.equal(result.parents.length, 0);
    assert.equal(result.numTasks, 4);
  });
});

describe("MapOutputTracker", () => {
  it("forgets exactly the lost executor's outputs", () => {
    const t = new MapOutputTracker();
    t.registerShuffle(1, 3);
    t.registerMapOutput(1, 0, { executorId: "a", sizes: [10, 20] });
    t.registerMapOutput(1, 1, { executorId: "b", sizes: [5, 0] });
    assert.equal(t.isAvailable(1), false);
    assert.deepEqual(t.missing(1), [2]);
    t.registerMapOutput(1, 2, { executorId: "a", sizes: [1, 1] });
    assert.equal(t.isAvailable(1), true);
    assert.deepEqual(t.bytesByExecutor(1, 0), new Map([["a", 11], ["b", 5]]));
    assert.deepEqual(t.removeOutputsOnExecutor("a"), [{ shuffleId: 1, mapIndex: 0 }, { shuffleId: 1, mapIndex: 2 }]);
    assert.deepEqual(t.locations(1), [null, "b", null]);
    t.unregisterMapOutput(1, 1, "other");
    assert.deepEqual(t.locations(1), [null, "b", null], "an unregister naming another executor leaves a newer output alone");
  });
});

describe("TaskSetManager", () => {
  const stage = { id: 0 } as never;

  it("waits locality.wait for a preferred executor before running elsewhere", () => {
    const ts = new TaskSetManager(stage, 0, [0, 1], (p) => (p === 0 ? ["a"] : ["b"]), 100, 0);
    assert.deepEqual(ts.resourceOffer("a", ["a", "b"], 10), { partition: 0, attempt: 0, speculative: false });
    assert.equal(ts.resourceOffer("a", ["a", "b"], 20), "wait", "partition 1 prefers b");
    assert.deepEqual(ts.resourceOffer("a", ["a", "b"], 200), { partition: 1, attempt: 0, speculative: false }, "after the wait it runs anywhere");
  });

  it("does not wait for a preferred executor that is dead", () => {
    const ts = new TaskSetManager(stage, 0, [0], () => ["dead"], 10_000, 0);
    assert.deepEqual(ts.resourceOffer("a", ["a"], 1), { partition: 0, attempt: 0, speculative: false });
  });

  it("retries a failed task on another executor when one is alive", () => {
    const ts = new TaskSetManager(stage, 0, [0], () => [], 0, 0);
    assert.deepEqual(ts.resourceOffer("a", ["a", "b"], 1), { partition: 0, attempt: 0, speculative: false });
    assert.equal(ts.taskFailed(0, 0, "a"), 1);
    ts.requeue(0);
    assert.equal(ts.resourceOffer("a", ["a", "b"], 2), null, "not again on a");
    assert.deepEqual(ts.resourceOffer("b", ["a", "b"], 3), { partition: 0, attempt: 1, speculative: false });
    ts.taskFailed(0, 1, "b");
    ts.requeue(0);
    assert.deepEqual(ts.resourceOffer("a", ["a"], 4), { partition: 0, attempt: 2, speculative: false }, "with only a left, a it is");
  });
});

describe("TaskScheduler", () => {
  /** An executor whose tasks end when the test says so. */
  function fakeExecutor(id: string, kind: string): Executor & { finish(): void; held: number } {
    const waiting: (() => void)[] = [];
    return {
      id, kind, cores: 1, isAlive: true, lost: new Promise<string>(() => undefined),
      get held() { return waiting.length; },
      finish() { waiting.shift()?.(); },
      runTask: () => new Promise<TaskResult>((resolve) => waiting.push(() => resolve({ kind: "mapStatus", sizes: [], metrics: {} as never }))),
    } as unknown as Executor & { finish(): void; held: number };
  }

  function scheduler() {
    const launches: TaskLaunch[] = [];
    const ts = new TaskScheduler({
      describe: (l) => ({ partition: l.partition } as never), prepare: async () => undefined,
      started: (l) => { launches.push(l); }, ended: () => undefined, executorHung: () => undefined,
    }, () => 0);
    return { ts, launches };
  }

  const settle = () => new Promise((r) => setImmediate(r));

  it("queues one task beyond its cores on a worker executor while the stage has more pending tasks than executors", async () => {
    const { ts, launches } = scheduler();
    const a = fakeExecutor("a", "worker-thread"), b = fakeExecutor("b", "worker-thread");
    ts.addExecutor(a);
    ts.addExecutor(b);
    const set = new TaskSetManager({ id: 0 } as never, 0, [0, 1, 2, 3, 4, 5], () => [], 0, 0);
    ts.submit(set);
    await settle();
    assert.deepEqual([a.held, b.held], [2, 2], "a running task and a queued one on each");
    assert.equal(set.pendingCount, 2);
    a.finish();
    await settle();
    // a's queued task now runs; with 2 pending tasks for 2 executors nothing more is queued (the tail is not held back).
    assert.deepEqual([a.held, set.pendingCount], [1, 2]);
    a.finish();
    await settle();
    assert.deepEqual([a.held, set.pendingCount], [1, 1], "a free core still takes a task");
    b.finish();
    b.finish();
    await settle();
    assert.deepEqual([b.held, set.pendingCount], [1, 0]);
    assert.equal(launches.length, 6);
  });

  it("never queues on an in-process executor (no round trip to hide)", async () => {
    const { ts } = scheduler();
    const a = fakeExecutor("a", "in-process");
    ts.addExecutor(a);
    const set = new TaskSetManager({ id: 0 } as never, 0, [0, 1, 2, 3], () => [], 0, 0);
    ts.submit(set);
    await settle();
    assert.equal(a.held, 1);
    assert.equal(set.pendingCount, 3);
  });
});
