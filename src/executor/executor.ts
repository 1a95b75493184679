/**
 * The one interface the scheduler sees for an executor, whichever backend
 * hosts it (in-process, Node worker thread, Web Worker): run a task, serve
 * a block, hold a shipped table, drop a shuffle or a cached RDD, answer a
 * heartbeat, stop.
 * Losing an executor is a normal event: `lost` resolves with the reason,
 * and every call still pending on it rejects with `ExecutorLostError`.
 */
import type { Batch } from "../exec/column-vector.ts";
import type { ExecutorHeartbeat, TaskDescription, TaskResult } from "./task.ts";

export interface Executor {
  readonly id: string;
  readonly cores: number;
  /** "in-process", "worker-thread", "web-worker". */
  readonly kind: string;
  runTask(task: TaskDescription): Promise<TaskResult>;
  /** Stops a running task at its next batch (Spark's killTask); its runTask rejects with TASK_KILLED. Unknown ids are ignored. */
  killTask(taskId: number, reason: string): Promise<void>;
  fetchBlock(blockId: string): Promise<Batch[] | null>;
  /** Several blocks in one request (null for each one not here). */
  fetchBlocks(blockIds: string[]): Promise<(Batch[] | null)[]>;
  /** Ships a driver-side memory table (all its partitions) to this executor. */
  putTable(tableId: string, partitions: Batch[][]): Promise<void>;
  /** Ships a file input held by the driver (Parquet bytes, a Blob) so this executor reads its splits itself; absent where executors share the driver's memory. */
  putSource?(path: string, data: Uint8Array | Blob): Promise<void>;
  removeShuffle(shuffleId: number): Promise<void>;
  /** Drops the cached partitions (`rdd_<id>_*` blocks) of one persisted RDD. */
  removeRdd(rddId: number): Promise<void>;
  heartbeat(): Promise<ExecutorHeartbeat>;
  stop(): Promise<void>;
  /** Resolves with a reason once the executor is gone (killed, crashed or stopped). */
  readonly lost: Promise<string>;
  readonly isAlive: boolean;
}
