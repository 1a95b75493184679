/**
 * The in-process backend: an ExecutorCore on the driver's own thread. No
 * parallelism, but the same scheduling, shuffle blocks and recovery paths
 * as the worker backends, which makes it the reference in the conformance
 * suite and the cheapest way to test the scheduler. `kill()` simulates a
 * lost executor: its blocks vanish and its running tasks fail.
 */
import type { Batch } from "../exec/column-vector.ts";
import type { Executor } from "../executor/executor.ts";
import { ExecutorCore } from "../executor/executor-core.ts";
import type { BlockFetcher } from "../executor/shuffle-reader.ts";
import type { ExecutorHeartbeat, TaskDescription, TaskResult } from "../executor/task.ts";
import { shareBatch } from "../executor/shared-batch.ts";
import { Lifeline } from "./lifeline.ts";
import { nextMacrotask } from "../common/macrotask.ts";

export class InProcessExecutor implements Executor {
  readonly kind = "in-process";
  private readonly core: ExecutorCore;
  private readonly life: Lifeline;

  constructor(readonly id: string, readonly cores: number, fetcher: BlockFetcher) {
    this.core = new ExecutorCore(id, fetcher);
    this.life = new Lifeline(id);
  }

  get lost(): Promise<string> { return this.life.lost; }
  get isAlive(): boolean { return this.life.isAlive; }

  runTask(task: TaskDescription): Promise<TaskResult> {
    // A fresh macrotask per task, so tasks of different "executors" interleave as they would on threads
    return this.life.guard(() => new Promise<void>((r) => nextMacrotask(r)).then(() => this.core.runTask(task)));
  }

  killTask(taskId: number, reason: string): Promise<void> {
    return this.life.guard(async () => this.core.killTask(taskId, reason));
  }

  fetchBlock(blockId: string): Promise<Batch[] | null> {
    return this.life.guard(async () => this.core.fetchBlock(blockId));
  }

  fetchBlocks(blockIds: string[]): Promise<(Batch[] | null)[]> {
    return this.life.guard(async () => this.core.fetchBlocks(blockIds));
  }

  putTable(tableId: string, partitions: Batch[][]): Promise<void> {
    return this.life.guard(async () => this.core.putTable(tableId, partitions.map((bs) => bs.map((b) => shareBatch(b)))));
  }

  removeShuffle(shuffleId: number): Promise<void> {
    return this.life.guard(async () => this.core.removeShuffle(shuffleId));
  }

  removeRdd(rddId: number): Promise<void> {
    return this.life.guard(async () => this.core.removeRdd(rddId));
  }

  heartbeat(): Promise<ExecutorHeartbeat> {
    return this.life.guard(async () => this.core.heartbeat());
  }

  async stop(): Promise<void> {
    this.core.clear();
    this.life.die("stopped");
  }

  /** Simulates a crash: blocks are gone and running tasks fail. */
  kill(reason = "killed"): void {
    this.core.clear();
    this.life.die(reason);
  }
}
