/**
 * TaskScheduler: matches free executor slots (`cores` per executor) with
 * the pending tasks of the submitted task sets, first submitted first, and
 * launches them. It knows executors only through the `Executor` interface
 * and reports every task's end back to the DAGScheduler, which owns all
 * decisions about retries and stages.
 */
import type { Executor } from "../executor/executor.ts";
import type { TaskDescription, TaskResult } from "../executor/task.ts";
import type { TaskSetManager } from "./task-set-manager.ts";

export interface TaskLaunch {
  taskSet: TaskSetManager;
  taskId: number;
  partition: number;
  attempt: number;
  executorId: string;
}

export interface TaskSchedulerHooks {
  /** Builds the description at launch time, so map-output locations are current. */
  describe(launch: TaskLaunch): TaskDescription;
  /** Anything to do on the executor before the task (ship memory tables). */
  prepare(executor: Executor, task: TaskDescription): Promise<void>;
  started(launch: TaskLaunch): void;
  ended(launch: TaskLaunch, outcome: { ok: true; result: TaskResult } | { ok: false; error: unknown }): void;
}

interface Slot { executor: Executor; free: number }

export class TaskScheduler {
  private readonly executors = new Map<string, Slot>();
  private taskSets: TaskSetManager[] = [];
  private nextTaskId = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly hooks: TaskSchedulerHooks, private readonly localityWaitMs: () => number) {}

  addExecutor(executor: Executor): void {
    this.executors.set(executor.id, { executor, free: executor.cores });
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
    this.reviveOffers();
  }

  remove(taskSet: TaskSetManager): void {
    this.taskSets = this.taskSets.filter((t) => t !== taskSet);
  }

  /** Offers every free slot to the task sets, in submission order. */
  reviveOffers(): void {
    this.taskSets = this.taskSets.filter((t) => !t.zombie);
    const alive = [...this.executors.keys()];
    let wait = false;
    let launchedAny = true;
    while (launchedAny) {
      launchedAny = false;
      for (const slot of this.executors.values()) {
        if (slot.free <= 0) continue;
        for (const ts of this.taskSets) {
          const offer = ts.resourceOffer(slot.executor.id, alive, Date.now());
          if (offer === "wait") { wait = true; continue; }
          if (offer === null) continue;
          this.launch(slot, { taskSet: ts, taskId: this.nextTaskId++, partition: offer.partition, attempt: offer.attempt, executorId: slot.executor.id });
          launchedAny = true;
          break;
        }
      }
    }
    if (wait && this.timer === null) {
      this.timer = setTimeout(() => { this.timer = null; this.reviveOffers(); }, Math.max(1, this.localityWaitMs()));
    }
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.taskSets = [];
  }

  private launch(slot: Slot, launch: TaskLaunch): void {
    slot.free--;
    const description = this.hooks.describe(launch);
    this.hooks.started(launch);
    const executor = slot.executor;
    (async () => {
      await this.hooks.prepare(executor, description);
      return executor.runTask(description);
    })().then(
      (result) => this.finish(slot, launch, { ok: true, result }),
      (error: unknown) => this.finish(slot, launch, { ok: false, error }),
    );
  }

  private finish(slot: Slot, launch: TaskLaunch, outcome: { ok: true; result: TaskResult } | { ok: false; error: unknown }): void {
    slot.free++;
    this.hooks.ended(launch, outcome);
    this.reviveOffers();
  }
}
