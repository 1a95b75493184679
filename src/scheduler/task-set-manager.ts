/**
 * TaskSetManager: one stage attempt's tasks. It decides which pending
 * partition to run when an executor offers a slot (preferring the
 * partition's preferred executors for up to `locality.wait` ms), keeps
 * count of each partition's failures, and sends a retried task to another
 * executor when one is alive. A zombie task set launches nothing more; its
 * running tasks may still finish and be counted.
 */
import type { Stage } from "./stage.ts";

export interface TaskOffer {
  partition: number;
  attempt: number;
}

export class TaskSetManager {
  private pending: number[];
  private readonly launched = new Map<number, number>();
  private readonly failures = new Map<number, number>();
  private readonly excluded = new Map<number, Set<string>>();
  readonly running = new Set<number>();
  readonly succeeded = new Set<number>();
  zombie = false;
  private lastLaunch: number;

  constructor(
    readonly stage: Stage,
    readonly stageAttempt: number,
    partitions: number[],
    /** Executors that would run partition `p` locally (empty: anywhere is as good). */
    private readonly preferred: (partition: number) => string[],
    private readonly localityWaitMs: number,
    now: number,
    /** A sampling pass ahead of a range shuffle, not the stage's real work. */
    readonly sampling = false,
  ) {
    this.pending = [...partitions];
    this.lastLaunch = now;
  }

  get hasPending(): boolean { return !this.zombie && this.pending.length > 0; }

  /** Partitions waiting for a slot. */
  get pendingCount(): number { return this.zombie ? 0 : this.pending.length; }

  get isDone(): boolean { return this.pending.length === 0 && this.running.size === 0; }

  /**
   * A task for a free slot on `executorId`, or null. `"wait"` means a task
   * is held back for locality; offer again after `locality.wait`.
   */
  resourceOffer(executorId: string, alive: readonly string[], now: number): TaskOffer | null | "wait" {
    if (this.zombie || this.pending.length === 0) return null;
    const allowed = (p: number) => {
      const ex = this.excluded.get(p);
      return !ex || !ex.has(executorId) || alive.every((e) => ex.has(e));
    };
    let pick = -1;
    for (let i = 0; i < this.pending.length && pick < 0; i++) {
      const p = this.pending[i]!;
      if (allowed(p) && this.preferred(p).includes(executorId)) pick = i;
    }
    for (let i = 0; i < this.pending.length && pick < 0; i++) {
      const p = this.pending[i]!;
      const pref = this.preferred(p).filter((e) => alive.includes(e));
      if (allowed(p) && pref.length === 0) pick = i;
    }
    let waiting = false;
    if (pick < 0) {
      if (now - this.lastLaunch >= this.localityWaitMs) {
        for (let i = 0; i < this.pending.length && pick < 0; i++) if (allowed(this.pending[i]!)) pick = i;
      } else waiting = this.pending.some(allowed);
    }
    if (pick < 0) return waiting ? "wait" : null;
    const partition = this.pending.splice(pick, 1)[0]!;
    const attempt = this.launched.get(partition) ?? 0;
    this.launched.set(partition, attempt + 1);
    this.running.add(partition);
    this.lastLaunch = now;
    return { partition, attempt };
  }

  taskSucceeded(partition: number): void {
    this.running.delete(partition);
    this.succeeded.add(partition);
  }

  /** Records a failure; returns how many times `partition` has failed in this task set. */
  taskFailed(partition: number, executorId: string): number {
    this.running.delete(partition);
    const n = (this.failures.get(partition) ?? 0) + 1;
    this.failures.set(partition, n);
    let ex = this.excluded.get(partition);
    if (!ex) this.excluded.set(partition, ex = new Set());
    ex.add(executorId);
    return n;
  }

  /** Puts `partition` back to run (a retry, or a map output lost with its executor). */
  requeue(partition: number): void {
    this.succeeded.delete(partition);
    if (!this.pending.includes(partition) && !this.running.has(partition)) this.pending.push(partition);
  }

  /** Forget a running task that will never report (its executor is gone without a reply). */
  abandon(partition: number): void {
    this.running.delete(partition);
  }
}
