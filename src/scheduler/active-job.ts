/**
 * The DAGScheduler's own event loop's events (it handles one at a time, in
 * order, as Spark's DAGSchedulerEventProcessLoop does) and what it keeps
 * of a running job.
 */
import type { BackendRunOptions } from "../common/cancellation.ts";
import type { StorageLevel } from "../executor/task.ts";
import type { ConfigValues } from "../common/config.ts";
import type { FetchFailedError } from "../common/errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import type { TaskResult } from "../executor/task.ts";
import type { TableProvider } from "./table-shipper.ts";
import type { TaskLaunch } from "./task-scheduler.ts";
import type { Stage } from "./stage.ts";

export type DAGEvent =
  | { type: "JobSubmitted"; job: ActiveJob }
  | { type: "TaskCompleted"; launch: TaskLaunch; result: TaskResult }
  | { type: "TaskFailed"; launch: TaskLaunch; error: unknown }
  | { type: "FetchFailed"; launch: TaskLaunch; error: FetchFailedError }
  | { type: "ExecutorLost"; executorId: string; reason: string }
  | { type: "StageCancelled"; stageId: number; reason: string }
  | { type: "AllJobsCancelled"; reason: string }
  | { type: "JobCancelled"; jobId: number; reason: string }
  | { type: "CachedPartitionRecomputed"; launch: TaskLaunch; error?: unknown };

export interface ActiveJob {
  id: number;
  finalStage: Stage;
  stages: Stage[];
  config: ConfigValues;
  tables: TableProvider;
  results: (Batch[] | undefined)[];
  remaining: number;
  resultBytes: number;
  /** Set for a persist job: result tasks keep their partition as cached block `rdd_<persistAs>_<p>`. */
  persistAs?: number;
  /** A persist job's storage level: MEMORY_AND_DISK blocks go to the executor's disk when evicted. */
  storageLevel?: StorageLevel;
  /**
   * Recomputes the missing partitions of cached RDD `rddId` from its lineage (a job of its own), so a
   * task that found its cached block gone waits for that partition alone instead of the job rerunning.
   */
  recomputeCached?: (rddId: number) => Promise<void>;
  /** How often each lost cached partition (`<rddId>_<partition>`) was recomputed for this job (see countCacheRecompute). */
  cacheRecomputes?: Map<string, number>;
  done: boolean;
  resolve(partitions: Batch[][]): void;
  reject(error: unknown): void;
}

/** How often one job recomputes the same lost cached partition before it gives up. */
const MAX_CACHE_RECOMPUTES = 3;

/**
 * Counts one more recomputation of a lost cached partition for `job`; false once it has been
 * recomputed MAX_CACHE_RECOMPUTES times: storage too small to keep the block until the task reads it
 * would otherwise loop for ever.
 */
export function countCacheRecompute(job: ActiveJob, rddId: number, partition: number | undefined): boolean {
  const key = `${rddId}_${partition}`;
  const times = (job.cacheRecomputes ??= new Map<string, number>()).get(key) ?? 0;
  job.cacheRecomputes.set(key, times + 1);
  return times < MAX_CACHE_RECOMPUTES;
}

/** What `DAGScheduler.runJob` takes beyond the plan: see ActiveJob for `persistAs` and `recomputeCached`. */
export interface JobRunOptions extends BackendRunOptions {
  /** Limits the job to these result partitions; the others resolve empty. */
  partitions?: readonly number[];
  persistAs?: number;
  storageLevel?: StorageLevel;
  recomputeCached?: (rddId: number) => Promise<void>;
}
