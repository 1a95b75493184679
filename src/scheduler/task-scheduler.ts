/**
 * TaskScheduler: matches free executor slots (`cores` per executor) with
 * the pending tasks of the submitted task sets, first submitted first, and
 * launches them. It knows executors only through the `Executor` interface
 * and reports every task's end back to the DAGScheduler, which owns all
 * decisions about retries and stages.
 *
 * Once every free slot has a task, an executor in another thread (or
 * machine) may get one task more than its cores, queued there: a task's
 * end and the next launch are a round trip through the driver, and on
 * short tasks (a 6 MB map task takes ~15 ms) an idle gap of a few ms
 * each time. Only while the stage has more pending tasks than there are
 * executors, so its last tasks are not queued behind a busy one while
 * another sits idle.
 */
import type { Executor } from "../executor/executor.ts";
import type { TaskDescription, TaskResult } from "../executor/task.ts";
import type { TaskSetManager } from "./task-set-manager.ts";
import { CinderError } from "../common/errors.ts";

export interface TaskLaunch {
  taskSet: TaskSetManager;
  taskId: number;
  partition: number;
  attempt: number;
  executorId: string;
  speculative: boolean;
}

export interface TaskSchedulerHooks {
  /** Builds the description at launch time, so map-output locations are current. */
  describe(launch: TaskLaunch): TaskDescription;
  /** Anything to do on the executor before the task (ship memory tables). */
  prepare(executor: Executor, task: TaskDescription): Promise<void>;
  started(launch: TaskLaunch): void;
  ended(launch: TaskLaunch, outcome: { ok: true; result: TaskResult } | { ok: false; error: unknown }): void;
  /** An executor did not stop a task killed for running past task.timeout. */
  executorHung(executorId: string, reason: string): void;
}

interface Slot { executor: Executor; running: number }

/** How long a task killed for its timeout may take to stop before its executor counts as hung. */
const HUNG_GRACE_MS = 1000;

/** Tasks an executor outside the driver's thread may hold beyond its cores. */
const QUEUED_PER_EXECUTOR = 1;

export class TaskScheduler {
  private readonly executors = new Map<string, Slot>();
  /** Launched tasks that have not reported, by task id. */
  private readonly launched = new Map<number, { launch: TaskLaunch; executor: Executor; startedAt: number }>();
  private taskSets: TaskSetManager[] = [];
  private nextTaskId = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  /** Tasks killed for running past task.timeout, with when; and executors reported hung. */
  private readonly timedOut = new Map<number, number>();
  private readonly hung = new Set<string>();

  constructor(private readonly hooks: TaskSchedulerHooks, private readonly localityWaitMs: () => number, private readonly watchIntervalMs: () => number = () => 100) {}

  addExecutor(executor: Executor): void {
    this.executors.set(executor.id, { executor, running: 0 });
    this.reviveOffers();
  }

  removeExecutor(executorId: string): void {
    this.executors.delete(executorId);
  }

  aliveExecutors(): Executor[] {
    return [...this.executors.values()].map((s) => s.executor);
  }

  submit(taskSet: TaskSetManager): void {
    this.taskSets.push(taskSet);
    if (taskSet.speculation || taskSet.taskTimeoutMs > 0) this.watchRunningTasks();
    this.reviveOffers();
  }

  remove(taskSet: TaskSetManager): void {
    this.taskSets = this.taskSets.filter((t) => t !== taskSet);
  }

  /**
   * While a task set speculates or has a `task.timeout`, looks at the running tasks every
   * `watchIntervalMs` (Spark's spark.speculation.interval): copies stragglers, and kills tasks past
   * their timeout. A timed-out task whose executor does not stop it within `HUNG_GRACE_MS` (a user
   * function in an endless loop never reaches a batch boundary) is reported as hung.
   */
  private watchRunningTasks(): void {
    if (this.watchTimer !== null) return;
    this.watchTimer = setInterval(() => {
      this.taskSets = this.taskSets.filter((t) => !t.zombie);
      const watched = this.taskSets.filter((t) => t.speculation || t.taskTimeoutMs > 0);
      if (watched.length === 0 && this.timedOut.size === 0) { clearInterval(this.watchTimer!); this.watchTimer = null; return; }
      const now = Date.now();
      let found = false;
      for (const ts of watched) found = ts.checkSpeculatable(now) || found;
      this.expireTasks(now);
      if (found) this.reviveOffers();
    }, this.watchIntervalMs());
  }

  private expireTasks(now: number): void {
    for (const [taskId, { launch, executor, startedAt }] of this.launched) {
      const limit = launch.taskSet.taskTimeoutMs;
      const timedOutAt = this.timedOut.get(taskId);
      if (timedOutAt === undefined) {
        if (limit > 0 && now - startedAt > limit) {
          this.timedOut.set(taskId, now);
          executor.killTask(taskId, `it ran longer than task.timeout (${limit} ms)`).catch(() => undefined);
        }
      } else if (now - timedOutAt > Math.max(HUNG_GRACE_MS, limit) && !this.hung.has(executor.id)) {
        this.hung.add(executor.id);
        this.hooks.executorHung(executor.id, `task ${taskId} ran past task.timeout (${limit} ms) and did not stop when killed: the executor is hung, for example in a user function that never returns`);
      }
    }
    for (const taskId of this.timedOut.keys()) if (!this.launched.has(taskId)) this.timedOut.delete(taskId);
  }

  /** Offers every free slot to the task sets, in submission order. */
  reviveOffers(): void {
    this.taskSets = this.taskSets.filter((t) => !t.zombie);
    const alive = [...this.executors.keys()];
    let wait = false;
    // First every free core, then (queued) one task more per executor in another thread.
    for (const queued of [0, QUEUED_PER_EXECUTOR]) {
      let launchedAny = true;
      while (launchedAny) {
        launchedAny = false;
        for (const slot of this.executors.values()) {
          const extra = slot.executor.kind === "in-process" ? 0 : queued;
          if (slot.running >= slot.executor.cores + extra) continue;
          const queuing = slot.running >= slot.executor.cores;
          for (const ts of this.taskSets) {
            if (queuing && ts.pendingCount <= alive.length) continue;
            const offer = ts.resourceOffer(slot.executor.id, alive, Date.now());
            if (offer === "wait") { wait = true; continue; }
            if (offer === null) continue;
            this.launch(slot, { taskSet: ts, taskId: this.nextTaskId++, partition: offer.partition, attempt: offer.attempt, executorId: slot.executor.id, speculative: offer.speculative });
            launchedAny = true;
            break;
          }
        }
      }
    }
    if (wait && this.timer === null) {
      this.timer = setTimeout(() => { this.timer = null; this.reviveOffers(); }, Math.max(1, this.localityWaitMs()));
    }
  }

  /**
   * Asks the executors to kill every running task of `taskSet` (its job was cancelled or failed); each
   * still reports its end, as TASK_KILLED. Returns how many were asked.
   */
  killRunning(taskSet: TaskSetManager, reason: string): number {
    let asked = 0;
    for (const { launch, executor } of this.launched.values()) {
      if (launch.taskSet !== taskSet) continue;
      asked++;
      // An executor that is gone cannot run the task any more; its loss is reported elsewhere.
      executor.killTask(launch.taskId, reason).catch(() => undefined);
    }
    return asked;
  }

  /** Kills the named attempts of one partition (losing copies of a speculated task). */
  killAttempts(taskSet: TaskSetManager, partition: number, attempts: readonly number[], reason: string): void {
    for (const { launch, executor } of this.launched.values()) {
      if (launch.taskSet === taskSet && launch.partition === partition && attempts.includes(launch.attempt)) {
        executor.killTask(launch.taskId, reason).catch(() => undefined);
      }
    }
  }

  /** Tasks waiting for a slot, over every task set. */
  get pendingTasks(): number {
    return this.taskSets.reduce((n, t) => n + (t.zombie ? 0 : t.pendingCount), 0);
  }

  /** Tasks running (or queued) on one executor. */
  runningOn(executorId: string): number {
    return this.executors.get(executorId)?.running ?? 0;
  }

  /** Tasks launched and not yet reported (for leak checks). */
  get runningTasks(): number { return this.launched.size; }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.watchTimer !== null) clearInterval(this.watchTimer);
    this.timer = null;
    this.watchTimer = null;
    this.taskSets = [];
  }

  private launch(slot: Slot, launch: TaskLaunch): void {
    slot.running++;
    const description = this.hooks.describe(launch);
    this.hooks.started(launch);
    const executor = slot.executor;
    this.launched.set(launch.taskId, { launch, executor, startedAt: Date.now() });
    (async () => {
      await this.hooks.prepare(executor, description);
      return executor.runTask(description);
    })().then(
      (result) => this.finish(slot, launch, { ok: true, result }),
      (error: unknown) => this.finish(slot, launch, { ok: false, error }),
    );
  }

  private finish(slot: Slot, launch: TaskLaunch, outcome: { ok: true; result: TaskResult } | { ok: false; error: unknown }): void {
    slot.running--;
    this.launched.delete(launch.taskId);
    const timedOut = this.timedOut.has(launch.taskId);
    this.timedOut.delete(launch.taskId);
    if (timedOut && !outcome.ok) {
      // However it ended (killed, or its hung executor lost), it is a failure that counts toward task.maxFailures.
      const limit = launch.taskSet.taskTimeoutMs;
      outcome = { ok: false, error: new CinderError("TASK_TIMEOUT",
        `task ${launch.taskId} (partition ${launch.partition} of stage ${launch.taskSet.stage.id}) ran longer than task.timeout (${limit} ms) on executor ${launch.executorId} and was killed; raise task.timeout, or look for a user function that never returns`,
        { details: { taskId: launch.taskId, partition: launch.partition, stageId: launch.taskSet.stage.id, timeoutMs: limit }, cause: outcome.error }) };
    }
    this.hooks.ended(launch, outcome);
    this.reviveOffers();
  }
}
