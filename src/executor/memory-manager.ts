/**
 * One executor's memory, as Spark's UnifiedMemoryManager divides it:
 * `executor.memory` x `memory.fraction` is shared by execution (sort
 * buffers, hash tables) and storage (cached blocks), storage keeping
 * `memory.storageFraction` of it for itself only as far as it uses it. Each
 * side may borrow what the other leaves free. Within execution, each of
 * the N running tasks may hold at most 1/N, so one task cannot starve the
 * others (Spark's ExecutionMemoryPool).
 *
 * JavaScript cannot block a task until memory frees up, as Spark does, so a
 * reservation that does not fit is refused at once and the operator spills
 * (or, with nowhere to spill, fails with RESOURCES_EXHAUSTED).
 */
import { CinderError } from "../common/errors.ts";
import type { TaskMemory } from "../physical/task-context.ts";

export class MemoryManager {
  private readonly byTask = new Map<number, number>();
  private executionUsed = 0;
  private storageUsed = 0;

  /**
   * Frees cached blocks, least recently used first, until about `bytes` are released (never blocks of
   * `keepRdd`); returns what it freed. Set by the executor that holds the blocks.
   */
  evictor: (bytes: number, keepRdd?: number) => number = () => 0;

  constructor(private total: number, private fraction: number, private storageFraction: number) {}

  /** Follows a job's settings (each task carries its job's config). */
  configure(total: number, fraction: number, storageFraction: number): void {
    this.total = total;
    this.fraction = fraction;
    this.storageFraction = storageFraction;
  }

  /** The memory execution and storage share. */
  get maxMemory(): number { return Math.floor(this.total * this.fraction); }

  get execution(): number { return this.executionUsed; }
  get storage(): number { return this.storageUsed; }

  /** Reserves `bytes` for task `taskId`, all or nothing; false when it does not fit its share or the pool. */
  acquireExecution(taskId: number, bytes: number): boolean {
    if (!this.byTask.has(taskId)) this.byTask.set(taskId, 0);
    const held = this.byTask.get(taskId)!;
    // Execution may take back what storage borrowed beyond its protected region, evicting cached blocks.
    const over = this.executionUsed + bytes + this.storageUsed - this.maxMemory;
    const borrowed = this.storageUsed - Math.floor(this.maxMemory * this.storageFraction);
    if (over > 0 && borrowed > 0) this.evictor(Math.min(over, borrowed));
    const pool = this.maxMemory - this.storageUsed;
    const share = pool / this.byTask.size;
    if (held + bytes > share || this.executionUsed + bytes > pool) return false;
    this.byTask.set(taskId, held + bytes);
    this.executionUsed += bytes;
    return true;
  }

  releaseExecution(taskId: number, bytes: number): void {
    const held = this.byTask.get(taskId) ?? 0;
    const freed = Math.min(held, bytes);
    this.byTask.set(taskId, held - freed);
    this.executionUsed -= freed;
  }

  /** Everything task `taskId` still holds, when it ends (an operator that failed may not have released). */
  releaseTask(taskId: number): void {
    this.executionUsed -= this.byTask.get(taskId) ?? 0;
    this.byTask.delete(taskId);
  }

  /** Storage for a cached block of `rddId`: it may use what execution leaves free, evicting older blocks of other RDDs. */
  acquireStorage(bytes: number, rddId?: number): boolean {
    const over = this.storageUsed + bytes + this.executionUsed - this.maxMemory;
    if (over > 0) this.evictor(over, rddId);
    if (this.storageUsed + bytes + this.executionUsed > this.maxMemory) return false;
    this.storageUsed += bytes;
    return true;
  }

  /** Counts `bytes` of storage whether or not they fit (a block kept over budget). */
  chargeStorage(bytes: number): void {
    this.storageUsed += bytes;
  }

  releaseStorage(bytes: number): void {
    this.storageUsed = Math.max(0, this.storageUsed - bytes);
  }

  /** How much of `maxMemory` storage keeps from execution right now. */
  get protectedStorage(): number { return Math.min(this.storageUsed, Math.floor(this.maxMemory * this.storageFraction)); }

  /** One task's handle on its share. */
  forTask(taskId: number): TaskMemoryAccount {
    return new TaskMemoryAccount(this, taskId);
  }
}

/** A task's execution memory: what it reserved, and the most it held at once. */
export class TaskMemoryAccount implements TaskMemory {
  private held = 0;
  peak = 0;
  spillBytes = 0;
  spillFiles = 0;

  constructor(private readonly manager: MemoryManager, readonly taskId: number) {}

  /** Reserves `bytes`, all or nothing. */
  tryReserve(bytes: number): boolean {
    if (!this.manager.acquireExecution(this.taskId, bytes)) return false;
    this.held += bytes;
    if (this.held > this.peak) this.peak = this.held;
    return true;
  }

  release(bytes: number): void {
    const n = Math.min(bytes, this.held);
    this.held -= n;
    this.manager.releaseExecution(this.taskId, n);
  }

  get reserved(): number { return this.held; }

  /** The budget in the error an operator raises when it can neither reserve nor spill. */
  exhausted(what: string, needed: number): CinderError {
    return new CinderError("RESOURCES_EXHAUSTED",
      `${what} needs ${needed} more bytes than task ${this.taskId}'s share of executor memory (executor.memory x memory.fraction = ${this.manager.maxMemory} bytes, shared by the running tasks), and this executor has no spill store (an edge isolate has no disk); raise executor.memory, use more partitions (shuffle.partitions), or run on Node or browser executors, which spill`,
      { details: { taskId: this.taskId, needed, maxMemory: this.manager.maxMemory } });
  }
}

/**
 * `executor.memory` when it is 0: what this runtime can give one executor. A cgroup-constrained Node process
 * its limit, otherwise Node 4 GiB; a browser a quarter of the device's memory (navigator.deviceMemory, which
 * browsers cap at 8 GB), else 1 GiB; a Workers isolate its 128 MB.
 */
export function defaultExecutorMemory(): number {
  const g = globalThis as { process?: { versions?: { node?: string }; constrainedMemory?: () => number }; navigator?: { userAgent?: string; deviceMemory?: number } };
  if (g.navigator?.userAgent === "Cloudflare-Workers") return 128 * 2 ** 20;
  if (g.process?.versions?.node) return g.process.constrainedMemory?.() || 4 * 2 ** 30;
  if (g.navigator?.deviceMemory) return Math.floor(g.navigator.deviceMemory * 2 ** 30 / 4);
  return 2 ** 30;
}

/** The executor memory a config asks for. */
export function executorMemoryOf(config: { "executor.memory": number }): number {
  return config["executor.memory"] || defaultExecutorMemory();
}
