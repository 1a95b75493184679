/**
 * Faults at scale, for any executor backend: randomized jobs (group-bys,
 * shuffled joins, sorts, distincts) on one session, several at a time,
 * while tasks fail at random, tasks and block fetches are delayed, fetches
 * are dropped, lose blocks, are answered twice or arrive corrupted, and
 * executors are killed mid-job (and replaced where the pool can grow).
 * Each job must return exactly the answer the unfaulted engine gives, or
 * fail with a clear retry-budget error; none may hang (each has a
 * deadline); and when all have ended nothing is left behind: no job, stage
 * or task in the scheduler, no task running and no shuffle block held on
 * any executor, and pooled shuffle memory within its bound.
 *
 * Each backend says how its block fetches are faulted (`injectFetchFaults`):
 * through the driver's block router for in-process and worker-thread
 * executors, at the HTTP fetch between edge executors.
 */
import fc from "fast-check";
import { Session, sum, count, col, max, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import type { Cluster } from "../../src/cluster/cluster.ts";
import type { Executor } from "../../src/executor/executor.ts";
import type { TaskDescription, TaskResult } from "../../src/executor/task.ts";
import type { BlockFetcher } from "../../src/executor/shuffle-reader.ts";
// Browser-safe (the campaign runs in Chromium too): no node:assert here.
import { assertSameRows } from "../cluster/executor-conformance.ts";

export type FetchFault = "none" | "drop" | "lose" | "delay" | "duplicate" | "corrupt";

export interface FaultTarget {
  cluster: Cluster;
  /** The faults this backend's fetches can have ("corrupt" needs bytes in flight). */
  fetchFaults: readonly Exclude<FetchFault, "none">[];
  /** Makes every block fetch ask `decide()` what goes wrong with it. */
  injectFetchFaults(decide: () => FetchFault, sleep: (ms: number) => Promise<void>): void;
  /** Starts an executor in place of a killed one; absent where the pool cannot grow (edge executors). */
  replace?: () => Promise<Executor>;
}

export interface CampaignOptions {
  jobs: number;
  atOnce: number;
  seed: number;
  deadlineMs: number;
  /** Fewest executors left alive by kills when the pool cannot grow. */
  minAlive?: number;
}

export interface CampaignReport { right: number; failedClearly: number; killed: number }

type Patchable = { runTask(t: TaskDescription): Promise<TaskResult> };
type Internals = {
  router: BlockFetcher;
  scheduler: { jobs: Map<number, unknown>; running: Set<unknown>; waiting: Set<unknown>; taskScheduler: { runningTasks: number } };
};

// The errors a job may end with once its retry budget is spent; anything else is a bug.
const BUDGET_ERRORS = new Set(["JOB_ABORTED", "EXECUTOR_LOST", "FETCH_FAILED", "TASK_FAILED"]);
const MEMORY_POOL = 4 * 1024 * 1024;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function jobsOf(facts: DataFrame, dims: DataFrame): (() => DataFrame)[] {
  return [
    () => facts.groupBy("k").agg(sum("v").alias("s"), count("v").alias("n")),
    () => facts.join(dims, "k").groupBy("name").agg(sum("v").alias("s")),
    () => facts.join(dims, facts.col("k").eq(dims.col("k")), "left").select(facts.col("id"), dims.col("name")),
    () => facts.orderBy(col("v").desc(), col("id")).limit(25),
    () => facts.select("k", "g").distinct(),
    () => facts.groupBy("g").agg(max("v").alias("m")).orderBy("g"),
  ];
}

/** The block fetcher the driver routes executors' fetches through (in-process and worker-thread clusters). */
export function faultRouter(cluster: Cluster, decide: () => FetchFault, wait: (ms: number) => Promise<void>): void {
  const router = (cluster as unknown as Internals).router;
  const original = router.fetchBlocks.bind(router);
  router.fetchBlocks = async (executorId, ids) => {
    const fault = decide();
    if (fault === "drop") throw new Error("injected: connection reset");
    if (fault === "delay") await wait(20);
    if (fault === "duplicate") await original(executorId, ids);
    const got = await original(executorId, ids);
    return fault === "lose" ? got.map((b, i) => (i === 0 ? null : b)) : got;
  };
}

export async function runFaultCampaign(target: FaultTarget, options: CampaignOptions): Promise<CampaignReport> {
  const { cluster } = target;
  const session = new Session({ "shuffle.partitions": 4, autoBroadcastJoinThreshold: 0, "task.maxFailures": 4, "shuffle.memoryPool": MEMORY_POOL });
  const facts = session.createDataFrame(Array.from({ length: 600 }, (_, i) => ({ id: i, k: i % 13 === 0 ? null : i % 11, v: (i * 37) % 101, g: i % 4 })),
    { schema: { id: "int", k: "int", v: "bigint", g: "int" }, numPartitions: 5 });
  const dims = session.createDataFrame(Array.from({ length: 11 }, (_, k) => ({ k, name: `n${k % 6}` })), { schema: { k: "int", name: "string" }, numPartitions: 2 });
  const jobs = jobsOf(facts, dims);
  const expected = await Promise.all(jobs.map(async (j) => j().collectArrays()));
  session.backend = cluster.backend();

  const plans = fc.sample(fc.record({
    job: fc.nat({ max: jobs.length - 1 }),
    taskFailure: fc.constantFrom(0, 0.02, 0.08),
    taskDelayMs: fc.constantFrom(0, 0, 5, 20),
    fetchFault: fc.constantFrom<FetchFault>("none", "none", ...target.fetchFaults),
    kill: fc.boolean(),
  }), { seed: options.seed, numRuns: options.jobs });

  // One random source for the faults, so a run replays as far as thread timing allows.
  let state = options.seed;
  const random = () => { state = (state * 1103515245 + 12345) % 2 ** 31; return state / 2 ** 31; };
  let current = plans[0]!;
  const poolSize = cluster.executors.length;
  const patchExecutor = (e: Executor) => {
    const p = e as unknown as Patchable;
    const original = p.runTask.bind(p);
    p.runTask = async (t) => {
      if (current.taskDelayMs) await sleep(random() * current.taskDelayMs);
      if (random() < current.taskFailure) throw new Error("injected: task failed");
      return original(t);
    };
  };
  for (const e of cluster.executors) patchExecutor(e);
  target.injectFetchFaults(() => (random() < 0.3 ? current.fetchFault : "none"), (ms) => sleep(random() * ms));

  const report: CampaignReport = { right: 0, failedClearly: 0, killed: 0 };
  for (let at = 0; at < plans.length; at += options.atOnce) {
    const batch = plans.slice(at, at + options.atOnce);
    current = batch[0]!;
    const alive = cluster.executors.filter((e) => e.isAlive);
    if (batch.some((p) => p.kill) && alive.length > (target.replace ? 1 : options.minAlive ?? 2)) {
      const victim = alive[Math.floor(random() * alive.length)]!;
      setTimeout(() => { cluster.kill(victim.id, "injected: executor killed mid-job"); }, random() * 15);
      report.killed++;
    }
    await Promise.all(batch.map(async (plan) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`job ${plan.job} hung past ${options.deadlineMs} ms`)), options.deadlineMs); });
      try {
        const rows = await Promise.race([jobs[plan.job]!().collectArrays(), deadline]);
        assertSameRows(rows, expected[plan.job]!, false, `job ${plan.job} under ${JSON.stringify(plan)}`);
        report.right++;
      } catch (e) {
        if (!CinderError.is(e)) throw e;
        check(BUDGET_ERRORS.has(e.code), `job ${plan.job} under ${JSON.stringify(plan)} failed unclearly: ${e.stack ?? e.message}`);
        check(/failed \d+ (times|consecutive attempts)|not alive|no executor|lost/i.test(e.message), `job ${plan.job}: the error does not say why: ${e.message}`);
        report.failedClearly++;
      } finally { clearTimeout(timer); }
    }));
    // Replace the dead so the pool keeps its size, as dynamic allocation would.
    if (target.replace) while (cluster.executors.filter((e) => e.isAlive).length < poolSize) patchExecutor(await target.replace());
  }

  check(report.right + report.failedClearly === options.jobs, "every job ended");
  check(report.right >= options.jobs * 0.75, `most jobs survive their faults: ${report.right} right, ${report.failedClearly} failed`);
  check(report.killed > 0, "executors were killed");
  await assertNothingLeft(cluster);
  return report;
}

/** No job, stage or task left in the scheduler; no running task or shuffle block on any live executor. */
async function assertNothingLeft(cluster: Cluster): Promise<void> {
  const { scheduler } = cluster as unknown as Internals;
  // Removals are sent without waiting for them; give them a moment to land.
  let beats = await Promise.all(cluster.executors.filter((e) => e.isAlive).map((e) => e.heartbeat()));
  for (let i = 0; i < 40 && beats.some((b) => b.runningTasks > 0 || b.shuffleBlocks > 0); i++) {
    await sleep(50);
    beats = await Promise.all(cluster.executors.filter((e) => e.isAlive).map((e) => e.heartbeat()));
  }
  check(scheduler.jobs.size === 0, "no job is left active");
  check(scheduler.running.size === 0, "no stage is left running");
  check(scheduler.waiting.size === 0, "no stage is left waiting");
  check(scheduler.taskScheduler.runningTasks === 0, "no task is left launched");
  for (const b of beats) {
    check(b.runningTasks === 0, `executor ${b.executorId} runs no task (${b.runningTasks})`);
    check(b.shuffleBlocks === 0, `executor ${b.executorId} holds no shuffle or broadcast block (${b.shuffleBlocks})`);
    check(b.shuffleMemoryRetained <= MEMORY_POOL, `executor ${b.executorId} keeps at most shuffle.memoryPool of shuffle memory (${b.shuffleMemoryRetained})`);
  }
}
