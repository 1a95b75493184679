/**
 * checkpoint() and localCheckpoint(): the result is computed once and the
 * returned DataFrame's plan starts from it, so an iterative loop's plan
 * stays as small at step 100 as at step 1; the answers are unchanged; on a
 * cluster a checkpoint outlives its executors, and a local checkpoint's
 * lost partition is recomputed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, col, sum, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { planChildren } from "../../src/plan/logical-plan.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";

const nodes = (p: LogicalPlan): number => 1 + planChildren(p).reduce((n, c) => n + nodes(c), 0);

function tables(session: Session) {
  const facts = session.createDataFrame(Array.from({ length: 300 }, (_, i) => ({ k: i % 10, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 3 });
  const dims = session.createDataFrame(Array.from({ length: 10 }, (_, k) => ({ k, w: k + 1 })), { schema: { k: "int", w: "bigint" } });
  // One step of an iterative job: a join and a projection, which no optimizer rule folds into the previous step.
  const step = (df: DataFrame) => df.join(dims, "k").select("k", col("v").plus(col("w")).alias("v"));
  const expected = (steps: number) => Array.from({ length: 10 }, (_, k) => [k, Array.from({ length: 30 }, (_, j) => k + 10 * j).reduce((a, b) => a + b, 0) + 30 * steps * (k + 1)]);
  return { facts, step, expected };
}

const totals = (df: DataFrame) => df.groupBy("k").agg(sum("v").alias("s")).orderBy("k").collectArrays();

describe("checkpoint", () => {
  it("100 iterative steps: the checkpointed plan stays the size of one step, and the answer is right", async () => {
    const session = new Session({ "shuffle.partitions": 2 });
    const { facts, step, expected } = tables(session);
    let plain = facts, saved = facts;
    const sizes: number[] = [];
    for (let i = 0; i < 100; i++) {
      if (i < 30) plain = step(plain);
      saved = await step(saved).checkpoint();
      sizes.push(nodes(step(saved).plan));
    }
    // Without checkpoints every step adds its nodes to the plan and to each query's planning (30 nested
    // join chains once took the optimizer 2^30 visits; see reorder-joins.ts).
    assert.ok(nodes(plain.plan) > 20 * sizes[0]!, `without a checkpoint the plan grows with the steps (${nodes(plain.plan)} nodes after 30, ${sizes[0]} with a checkpoint)`);
    assert.equal(new Set(sizes).size, 1, `with one, every step plans the same few nodes (${sizes[0]})`);
    assert.deepEqual(await totals(saved), expected(100));
    assert.deepEqual(await totals(plain), expected(30), "the same answers without checkpoints");
    assert.deepEqual(saved.columns, ["k", "v"]);
  });

  it("localCheckpoint keeps the answer and cuts the plan the same way", async () => {
    const session = new Session({ "shuffle.partitions": 2 });
    const { facts, step, expected } = tables(session);
    let df = facts;
    for (let i = 0; i < 20; i++) df = await step(df).localCheckpoint();
    assert.equal(nodes(df.plan), 1);
    assert.deepEqual(await totals(df), expected(20));
  });

  it("an aborted signal fails the checkpoint with JOB_ABORTED", async () => {
    const session = new Session();
    const { facts, step } = tables(session);
    await assert.rejects(step(facts).checkpoint({ signal: AbortSignal.abort() }), (e) => CinderError.is(e) && e.code === "JOB_ABORTED");
  });
});

describe("checkpoint on a cluster", () => {
  it("a checkpoint outlives the executors that computed it; a local checkpoint's lost partitions are recomputed", async () => {
    const session = new Session({ "shuffle.partitions": 2 });
    const { facts, step, expected } = tables(session);
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    try {
      const saved = await step(step(facts)).checkpoint();
      const local = await step(step(facts)).localCheckpoint();
      cluster.kill(cluster.executors[0]!.id, "test: lost after the checkpoints");
      await cluster.addExecutor();
      const jobsBefore = log.of("JobStart").length;
      assert.deepEqual(await totals(saved), expected(2));
      assert.equal(log.of("JobStart").length - jobsBefore, 1, "the checkpoint is read, not recomputed");
      assert.deepEqual(await totals(local), expected(2), "the local checkpoint's partitions on the killed executor were recomputed");
    } finally { await cluster.stop(); }
  });
});
