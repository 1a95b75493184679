/**
 * What a worker exposes over comlink: an ExecutorCore created by `init`
 * with the driver's block router (a comlink proxy), and one method per
 * `Executor` call. Used by both the Node worker-thread entry and the Web
 * Worker entry in `workers/`.
 */
import "./comlink-errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import { InternalError } from "../common/errors.ts";
import { ExecutorCore } from "../executor/executor-core.ts";
import { sharedMemoryAvailable } from "../executor/shared-batch.ts";
import type { BlockFetcher } from "../executor/shuffle-reader.ts";
import type { ExecutorHeartbeat, TaskDescription, TaskResult } from "../executor/task.ts";

export interface ExecutorEndpoint {
  init(executorId: string, fetcher: BlockFetcher): void;
  runTask(task: TaskDescription): Promise<TaskResult>;
  killTask(taskId: number, reason: string): void;
  fetchBlock(blockId: string): Promise<Batch[] | null>;
  fetchBlocks(blockIds: string[]): Promise<(Batch[] | null)[]>;
  putTable(tableId: string, partitions: Batch[][]): void;
  putSource(path: string, data: Uint8Array | Blob): void;
  removeShuffle(shuffleId: number): void;
  removeRdd(rddId: number): void;
  heartbeat(): ExecutorHeartbeat;
}

export function createExecutorEndpoint(): ExecutorEndpoint {
  let core: ExecutorCore | null = null;
  const need = (): ExecutorCore => {
    if (!core) throw new InternalError("the executor was called before init()");
    return core;
  };
  return {
    init(executorId, fetcher) { core = new ExecutorCore(executorId, fetcher, { publishShuffleBlocks: sharedMemoryAvailable() }); },
    runTask: (task) => need().runTask(task),
    killTask: (taskId, reason) => need().killTask(taskId, reason),
    fetchBlock: (blockId) => need().fetchBlock(blockId),
    fetchBlocks: (blockIds) => need().fetchBlocks(blockIds),
    putTable: (tableId, partitions) => need().putTable(tableId, partitions),
    putSource: (path, data) => need().putSource(path, data),
    removeShuffle: (shuffleId) => need().removeShuffle(shuffleId),
    removeRdd: (rddId) => need().removeRdd(rddId),
    heartbeat: () => need().heartbeat(),
  };
}
