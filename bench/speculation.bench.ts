/**
 * What speculation buys when one executor is slow: a group-by of 16
 * partitions on 3 worker-thread executors, one of which takes 600 ms longer
 * for every task (a straggling machine, simulated on its driver-side proxy),
 * with `speculation` 1 and 0 in the same run, interleaved. Every answer is
 * checked against the first. Also: iterative jobs, 60 steps of join +
 * projection on the local engine, each step checkpointed or not, timing
 * step 1, step 30 and step 60 (without checkpoints every step plans and
 * runs the whole lineage again).
 *
 * Run: `npm run bench -- speculation` (ROUNDS=5 by default).
 */
import { Session, sum, count, col } from "../src/index.ts";
import type { DataFrame } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import type { TaskDescription, TaskResult } from "../src/executor/task.ts";
import { loadAverages } from "./support/timing.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SLOW_MS = 600;

console.log(`speculation bench: ${ROUNDS} interleaved rounds after a warm-up, each from idle executors, median wall ms; load average at start: ${loadAverages()}`);
const session = new Session({ "shuffle.partitions": 6, "speculation.minTaskRuntime": 100 });
const rows = Array.from({ length: 400_000 }, (_, i) => ({ k: i % 97, v: i % 1000 }));
const facts = session.createDataFrame(rows, { schema: { k: "int", v: "bigint" }, numPartitions: 16 });
const cluster = await Cluster.start({ executors: 3, kind: "worker-thread" });
type Patchable = { runTask(t: TaskDescription): Promise<TaskResult> };
const slow = cluster.executors[0]! as unknown as Patchable;
const run = slow.runTask.bind(slow);
slow.runTask = async (t) => { await new Promise((r) => setTimeout(r, SLOW_MS)); return run(t); };
session.backend = cluster.backend();
try {
  const query = () => facts.groupBy("k").agg(sum("v").alias("s"), count("v").alias("n"));
  // Each run starts with every executor idle: a losing copy still sleeping on the slow executor would
  // otherwise keep it out of the next run, and the next run would not meet the straggler at all.
  const scheduler = (cluster as unknown as { scheduler: { taskScheduler: { runningTasks: number } } }).scheduler;
  const idle = async () => { while (scheduler.taskScheduler.runningTasks > 0) await new Promise((r) => setTimeout(r, 20)); };
  const times: Record<string, number[]> = { on: [], off: [] };
  let expected: number | undefined;
  for (let round = 0; round <= ROUNDS; round++) {
    for (const mode of ["on", "off"] as const) {
      await idle();
      session.conf.set("speculation", mode === "on" ? 1 : 0);
      const t0 = performance.now();
      const sumN = (await query().collectArrays()).reduce((n, x) => n + Number(x[2]), 0);
      if (round > 0) times[mode]!.push(performance.now() - t0);
      expected ??= sumN;
      if (sumN !== expected) throw new Error(`${mode}: ${sumN} rows counted, expected ${expected}`);
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  const on = median(times.on!), off = median(times.off!);
  console.log(`group-by of 400K rows in 16 partitions, 3 executors, one ${SLOW_MS} ms slower per task: speculation on ${on.toFixed(0)} ms, off ${off.toFixed(0)} ms (${(off / on).toFixed(2)}x)`);
} finally { await cluster.stop(); }

const local = new Session({ "shuffle.partitions": 2 });
const base = local.createDataFrame(Array.from({ length: 20_000 }, (_, i) => ({ k: i % 50, v: i })), { schema: { k: "int", v: "bigint" }, numPartitions: 2 });
const dims = local.createDataFrame(Array.from({ length: 50 }, (_, k) => ({ k, w: 1 })), { schema: { k: "int", w: "bigint" } });
const step = (df: DataFrame) => df.join(dims, "k").select("k", col("v").plus(col("w")).alias("v"));
for (const checkpointed of [true, false]) {
  let df = base;
  const at: Record<number, number> = {};
  for (let i = 1; i <= 60; i++) {
    const t0 = performance.now();
    df = step(df);
    if (checkpointed) df = await df.checkpoint();
    else await df.groupBy("k").agg(sum("v")).collectArrays();
    if (i === 1 || i === 30 || i === 60) at[i] = performance.now() - t0;
  }
  const total = (await df.groupBy().agg(sum("v")).collectArrays())[0]![0];
  console.log(`iterative join + projection, ${checkpointed ? "checkpoint() every step" : "no checkpoint (each step runs its lineage)"}: step 1 ${at[1]!.toFixed(1)} ms, step 30 ${at[30]!.toFixed(1)} ms, step 60 ${at[60]!.toFixed(1)} ms (sum ${String(total)})`);
}
console.log(`load average at the end: ${loadAverages()}`);
