/**
 * The DAGScheduler's own event loop's events (it handles one at a time, in
 * order, as Spark's DAGSchedulerEventProcessLoop does) and what it keeps
 * of a running job.
 */
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
  | { type: "JobCancelled"; jobId: number; reason: string };

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
  done: boolean;
  resolve(partitions: Batch[][]): void;
  reject(error: unknown): void;
}
