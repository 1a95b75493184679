/**
 * TaskSetManager: one stage attempt's tasks. It decides which pending
 * partition to run when an executor offers a slot (preferring the
 * partition's preferred executors for up to `locality.wait` ms), keeps
 * count of each partition's failures, and sends a retried task to another
 * executor when one is alive. A zombie task set launches nothing more; its
 * running tasks may still finish and be counted.
 *
 * With speculation on (Spark's spark.speculation), once `quantile` of the
 * tasks have succeeded, a task running over `multiplier` times their median
 * duration is launched again on another executor; the first copy to succeed
 * wins, and the scheduler kills the others.
 */
import type { Stage } from "./stage.ts";
import type { ConfigValues } from "../common/config.ts";

export interface TaskOffer {
  partition: number;
  attempt: number;
  /** A copy of a straggler still running elsewhere. */
  speculative: boolean;
}

export interface SpeculationOptions {
  multiplier: number;
  quantile: number;
  /** No task is speculated before it has run this long (Spark's spark.speculation.minTaskRuntime). */
  minRuntimeMs: number;
}

interface RunningAttempt { attempt: number; executorId: string; startedAt: number }

export class TaskSetManager {
  private pending: number[];
  private readonly launched = new Map<number, number>();
  private readonly failures = new Map<number, number>();
  private readonly excluded = new Map<number, Set<string>>();
  /** Attempts running now, by partition (two while a speculative copy runs). */
  private readonly running = new Map<number, RunningAttempt[]>();
  readonly succeeded = new Set<number>();
  /** Durations (ms) of the attempts that succeeded, for the speculation threshold. */
  private readonly durations: number[] = [];
  /** Stragglers waiting for a slot for their copy, and those that got one. */
  private readonly speculatable = new Set<number>();
  private readonly speculated = new Set<number>();
  private readonly numTasks: number;
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
    readonly speculation: SpeculationOptions | null = null,
    /** A task running longer than this (ms) is killed and counts as failed (`task.timeout`; 0: never). */
    readonly taskTimeoutMs = 0,
  ) {
    this.pending = [...partitions];
    this.numTasks = partitions.length;
    this.lastLaunch = now;
  }

  get hasPending(): boolean { return !this.zombie && (this.pending.length > 0 || this.speculatable.size > 0); }

  /** Partitions waiting for a slot (stragglers' copies included). */
  get pendingCount(): number { return this.zombie ? 0 : this.pending.length + this.speculatable.size; }

  get isDone(): boolean { return this.pending.length === 0 && this.running.size === 0; }

  /**
   * A task for a free slot on `executorId`, or null. `"wait"` means a task
   * is held back for locality; offer again after `locality.wait`.
   */
  resourceOffer(executorId: string, alive: readonly string[], now: number): TaskOffer | null | "wait" {
    if (this.zombie) return null;
    if (this.pending.length === 0) return this.speculativeOffer(executorId, now);
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
    return this.start(partition, executorId, now, false);
  }

  /** A straggler's copy, on an executor not already running it. */
  private speculativeOffer(executorId: string, now: number): TaskOffer | null {
    for (const p of this.speculatable) {
      if (this.running.get(p)?.some((a) => a.executorId === executorId)) continue;
      this.speculatable.delete(p);
      this.speculated.add(p);
      return this.start(p, executorId, now, true);
    }
    return null;
  }

  private start(partition: number, executorId: string, now: number, speculative: boolean): TaskOffer {
    const attempt = this.launched.get(partition) ?? 0;
    this.launched.set(partition, attempt + 1);
    const list = this.running.get(partition) ?? [];
    list.push({ attempt, executorId, startedAt: now });
    this.running.set(partition, list);
    this.lastLaunch = now;
    return { partition, attempt, speculative };
  }

  /**
   * Marks stragglers for a speculative copy; true when any was added. A task is a straggler once
   * `quantile` of the tasks have succeeded and it has run over `multiplier` times their median.
   */
  checkSpeculatable(now: number): boolean {
    const s = this.speculation;
    if (!s || this.zombie || this.durations.length === 0 || this.succeeded.size < Math.ceil(s.quantile * this.numTasks)) return false;
    const sorted = [...this.durations].sort((a, b) => a - b);
    const threshold = Math.max(s.multiplier * sorted[sorted.length >> 1]!, s.minRuntimeMs);
    let added = false;
    for (const [p, attempts] of this.running) {
      if (attempts.length !== 1 || this.speculated.has(p) || this.speculatable.has(p) || this.succeeded.has(p)) continue;
      if (now - attempts[0]!.startedAt > threshold) { this.speculatable.add(p); added = true; }
    }
    return added;
  }

  /** Records a success; the partition's other running attempts are returned (to be killed: this one won). */
  taskSucceeded(partition: number, attempt: number, now: number): number[] {
    const attempts = this.running.get(partition) ?? [];
    const mine = attempts.find((a) => a.attempt === attempt);
    if (mine && !this.succeeded.has(partition)) this.durations.push(now - mine.startedAt);
    this.running.delete(partition);
    this.speculatable.delete(partition);
    this.succeeded.add(partition);
    return attempts.filter((a) => a.attempt !== attempt).map((a) => a.attempt);
  }

  /**
   * Records a failure; returns how many times `partition` has failed in this task set, or 0 when the
   * failure does not count: the partition already succeeded (a losing copy) or another copy still runs.
   */
  taskFailed(partition: number, attempt: number, executorId: string): number {
    if (!this.endAttempt(partition, attempt) || this.succeeded.has(partition) || this.running.has(partition)) return 0;
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

  /** Forgets a running attempt that will never report (its executor is gone without a reply). */
  abandon(partition: number, attempt: number): void {
    this.endAttempt(partition, attempt);
  }

  /** Drops one attempt from the running ones; false when it was not running (its partition already won). */
  private endAttempt(partition: number, attempt: number): boolean {
    const attempts = this.running.get(partition);
    if (!attempts) return false;
    const rest = attempts.filter((a) => a.attempt !== attempt);
    if (rest.length === attempts.length) return false;
    if (rest.length) this.running.set(partition, rest); else this.running.delete(partition);
    return true;
  }
}

/** A job's speculation settings, or null when `speculation` is off. */
export function speculationOf(config: ConfigValues): SpeculationOptions | null {
  if (!config.speculation) return null;
  return { multiplier: config["speculation.multiplier"], quantile: config["speculation.quantile"], minRuntimeMs: config["speculation.minTaskRuntime"] };
}
