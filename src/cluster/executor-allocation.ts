/**
 * Dynamic allocation (Spark's ExecutorAllocationManager): the pool of
 * worker-thread, Web Worker or in-process executors grows while tasks wait
 * and shrinks when executors sit idle. Once tasks have been pending for
 * `schedulerBacklogTimeout` ms it adds executors, 1, then 2, then 4 more
 * per round while the backlog lasts, up to what the running and pending
 * tasks could use and `maxExecutors`. An executor idle for
 * `executorIdleTimeout` ms is released, down to `minExecutors`, unless it
 * still holds shuffle output a registered shuffle needs or cached blocks
 * (Spark's shuffle tracking): releasing it would cost a recomputation.
 */
import type { Executor } from "../executor/executor.ts";

export interface DynamicAllocationOptions {
  minExecutors: number;
  maxExecutors: number;
  /** Milliseconds an executor may sit idle before it is released (Spark's default 60 s). */
  executorIdleTimeout: number;
  /** Milliseconds tasks may wait before executors are added (Spark's default 1 s). */
  schedulerBacklogTimeout: number;
}

export const DYNAMIC_ALLOCATION_DEFAULTS: DynamicAllocationOptions = { minExecutors: 1, maxExecutors: 8, executorIdleTimeout: 60_000, schedulerBacklogTimeout: 1000 };

export interface AllocationHooks {
  alive(): Executor[];
  pendingTasks(): number;
  runningTasks(): number;
  runningOn(executorId: string): number;
  /** True while the executor holds map output or cached blocks the driver still tracks. */
  holdsState(executorId: string): boolean;
  add(): Promise<unknown>;
  release(executorId: string, reason: string): void;
}

const TICK_MS = 25;

export class ExecutorAllocationManager {
  private timer: ReturnType<typeof setInterval> | null = null;
  private backlogSince: number | null = null;
  private nextRound = 1;
  private starting = 0;
  private readonly idleSince = new Map<string, number>();

  constructor(private readonly hooks: AllocationHooks, private readonly options: DynamicAllocationOptions) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(Date.now()), TICK_MS);
    // It watches; it must not keep a Node process alive on its own.
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look at the pool (public for tests that drive time themselves). */
  tick(now: number): void {
    const { hooks, options } = this;
    const alive = hooks.alive();
    const pending = hooks.pendingTasks();
    const cores = Math.max(1, alive[0]?.cores ?? 1);
    const wanted = Math.min(options.maxExecutors, Math.max(options.minExecutors, Math.ceil((pending + hooks.runningTasks()) / cores)));
    if (pending > 0) {
      this.backlogSince ??= now;
      const have = alive.length + this.starting;
      if (now - this.backlogSince >= options.schedulerBacklogTimeout && have < wanted) {
        const n = Math.min(this.nextRound, wanted - have);
        for (let i = 0; i < n; i++) {
          this.starting++;
          hooks.add().catch(() => undefined).finally(() => { this.starting--; });
        }
        this.nextRound *= 2;
        this.backlogSince = now;
      }
    } else {
      this.backlogSince = null;
      this.nextRound = 1;
    }
    let count = alive.length;
    for (const e of alive) {
      if (hooks.runningOn(e.id) > 0) { this.idleSince.delete(e.id); continue; }
      const since = this.idleSince.get(e.id) ?? now;
      this.idleSince.set(e.id, since);
      if (pending > 0 || count <= options.minExecutors || now - since < options.executorIdleTimeout || hooks.holdsState(e.id)) continue;
      this.idleSince.delete(e.id);
      count--;
      hooks.release(e.id, `idle for ${now - since} ms (dynamicAllocation.executorIdleTimeout is ${options.executorIdleTimeout} ms)`);
    }
  }
}
