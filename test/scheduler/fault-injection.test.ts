/**
 * Faults at scale: 120 randomized jobs (group-bys, shuffled joins, sorts,
 * distincts) on one session of 3 in-process executors, four at a time,
 * while tasks fail at random, tasks and block fetches are delayed, fetches
 * are dropped, lose blocks or are answered twice, and executors are killed
 * mid-job and replaced. Each job must return exactly the answer the
 * unfaulted engine gives, or fail with a clear retry-budget error; none may
 * hang (each has a deadline); and when all have ended the scheduler holds
 * no job, no running stage and no registered shuffle.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Session, sum, count, col, max, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import type { TaskDescription, TaskResult } from "../../src/executor/task.ts";
import type { BlockFetcher } from "../../src/executor/shuffle-reader.ts";
import { assertRowsEqual } from "../support/compare.ts";

type Patchable = { runTask(t: TaskDescription): Promise<TaskResult> };
type Internals = { router: BlockFetcher; scheduler: { jobs: Map<number, unknown>; running: Set<unknown>; waiting: Set<unknown> } };

const JOBS = 120, AT_ONCE = 4, DEADLINE_MS = 30_000;
// The errors a job may end with once its retry budget is spent; anything else is a bug.
const BUDGET_ERRORS = new Set(["JOB_ABORTED", "EXECUTOR_LOST", "FETCH_FAILED", "TASK_FAILED"]);

function jobsOf(facts: DataFrame, dims: DataFrame): ((df: DataFrame) => DataFrame)[] {
  const makes: ((f: DataFrame) => DataFrame)[] = [
    (f) => f.groupBy("k").agg(sum("v").alias("s"), count("v").alias("n")),
    (f) => f.join(dims, "k").groupBy("name").agg(sum("v").alias("s")),
    (f) => f.join(dims, f.col("k").eq(dims.col("k")), "left").select(f.col("id"), dims.col("name")),
    (f) => f.orderBy(col("v").desc(), col("id")).limit(25),
    (f) => f.select("k", "g").distinct(),
    (f) => f.groupBy("g").agg(max("v").alias("m")).orderBy("g"),
  ];
  return makes.map((make) => () => make(facts));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("fault injection", () => {
  it(`${JOBS} randomized jobs under random faults: right answers or clear errors, no hangs, nothing left behind`, async (t) => {
    const session = new Session({ "shuffle.partitions": 4, autoBroadcastJoinThreshold: 0, "task.maxFailures": 4 });
    const facts = session.createDataFrame(Array.from({ length: 600 }, (_, i) => ({ id: i, k: i % 13 === 0 ? null : i % 11, v: (i * 37) % 101, g: i % 4 })),
      { schema: { id: "int", k: "int", v: "bigint", g: "int" }, numPartitions: 5 });
    const dims = session.createDataFrame(Array.from({ length: 11 }, (_, k) => ({ k, name: `n${k % 6}` })), { schema: { k: "int", name: "string" }, numPartitions: 2 });
    const jobs = jobsOf(facts, dims);
    const expected = await Promise.all(jobs.map(async (j) => j(facts).collectArrays()));

    const cluster = await Cluster.start({ executors: 3, kind: "in-process" });
    session.backend = cluster.backend();
    const internals = cluster as unknown as Internals;
    const plans = fc.sample(fc.record({
      job: fc.nat({ max: jobs.length - 1 }),
      taskFailure: fc.constantFrom(0, 0.02, 0.08),
      taskDelayMs: fc.constantFrom(0, 0, 5, 20),
      fetchFault: fc.constantFrom("none", "none", "drop", "lose", "delay", "duplicate"),
      kill: fc.boolean(),
    }), { seed: 15, numRuns: JOBS });

    // One random source for the faults, so a run replays exactly.
    let state = 42;
    const random = () => { state = (state * 1103515245 + 12345) % 2 ** 31; return state / 2 ** 31; };
    let current = plans[0]!;
    const patchExecutor = (e: Patchable) => {
      const original = e.runTask.bind(e);
      e.runTask = async (t) => {
        if (current.taskDelayMs) await sleep(random() * current.taskDelayMs);
        if (random() < current.taskFailure) throw new Error("injected: task failed");
        return original(t);
      };
    };
    for (const e of cluster.executors) patchExecutor(e as unknown as Patchable);
    const router = internals.router.fetchBlocks.bind(internals.router);
    internals.router.fetchBlocks = async (executorId, ids) => {
      const fault = random() < 0.3 ? current.fetchFault : "none";
      if (fault === "drop") throw new Error("injected: connection reset");
      if (fault === "delay") await sleep(random() * 20);
      if (fault === "duplicate") await router(executorId, ids);
      const got = await router(executorId, ids);
      return fault === "lose" ? got.map((b, i) => (i === 0 ? null : b)) : got;
    };

    let right = 0, failedClearly = 0, killed = 0;
    for (let at = 0; at < plans.length; at += AT_ONCE) {
      const batch = plans.slice(at, at + AT_ONCE);
      current = batch[0]!;
      if (batch.some((p) => p.kill)) {
        const alive = cluster.executors.filter((e) => e.isAlive);
        if (alive.length > 1) {
          const victim = alive[Math.floor(random() * alive.length)]!;
          setTimeout(() => { cluster.kill(victim.id, "injected: executor killed mid-job"); }, random() * 15);
          killed++;
        }
      }
      await Promise.all(batch.map(async (plan) => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`job ${plan.job} hung past ${DEADLINE_MS} ms`)), DEADLINE_MS); });
        try {
          const rows = await Promise.race([jobs[plan.job]!(facts).collectArrays(), deadline]);
          assertRowsEqual(rows, expected[plan.job]!, { message: `job ${plan.job} under ${JSON.stringify(plan)}` });
          right++;
        } catch (e) {
          assert.ok(CinderError.is(e) && BUDGET_ERRORS.has(e.code), `job ${plan.job} under ${JSON.stringify(plan)} failed unclearly: ${e instanceof Error ? e.stack : String(e)}`);
          assert.match(e.message, /failed \d+ (times|consecutive attempts)|not alive|no executor|lost/i);
          failedClearly++;
        } finally { clearTimeout(timer); }
      }));
      // Replace the dead so the pool keeps its size, as dynamic allocation would.
      while (cluster.executors.filter((e) => e.isAlive).length < 3) patchExecutor(await cluster.addExecutor() as unknown as Patchable);
    }

    t.diagnostic(`${right} right answers, ${failedClearly} clear failures, ${killed} executors killed`);
    assert.equal(right + failedClearly, JOBS);
    assert.ok(right >= JOBS * 0.8, `most jobs survive their faults: ${right} right, ${failedClearly} failed`);
    assert.ok(killed > 5, "executors were killed");
    await sleep(50);
    assert.equal(internals.scheduler.jobs.size, 0, "no job is left active");
    assert.equal(internals.scheduler.running.size, 0, "no stage is left running");
    assert.equal(internals.scheduler.waiting.size, 0, "no stage is left waiting");
    await cluster.stop();
  });
});
