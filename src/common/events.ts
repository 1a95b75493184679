/**
 * The events of the listener bus: what happened to jobs, stages, tasks and
 * executors, as plain tagged data so the demo's live view, the CLI's
 * progress bar and tests can all read the same stream (Spark's
 * SparkListener events). Nothing here holds a reference to live state.
 */
import type { SerializedError } from "./errors.ts";

export type StageKind = "shuffleMap" | "result";

export interface TaskMetricsSnapshot {
  /** Wall milliseconds the task ran on its executor. */
  durationMs: number;
  recordsRead: number;
  recordsWritten: number;
  /** Shuffle bytes read (local and remote blocks). */
  shuffleBytesRead: number;
  /** Shuffle bytes this map task wrote. */
  shuffleBytesWritten: number;
  /** Result bytes a result task sent back. */
  resultBytes: number;
  /** The most execution memory the task held at once (bytes its operators reserved), and what it spilled. */
  peakExecutionMemory?: number;
  spillBytes?: number;
  spillFiles?: number;
  /** Cached blocks (`rdd_<id>_<partition>`) this task stored on its executor (Spark's updatedBlockStatuses). */
  cachedBlocks?: string[];
  /** File scans this task read on its executor (src/io/scan-metrics.ts); the driver adds them to its scan totals. */
  scans?: ScanTaskReport[];
}

/** One scan's cost in one task, and the splits (scan partitions) it read. */
export interface ScanTaskReport {
  /** `scanKey` of the scan: opened table, projection, filters. */
  key: string;
  /** `scanTableId`: the opened table whose splits these are. */
  table: string;
  splits: number[];
  bytesFetched: number;
  requests: number;
  rowGroupsRead: number;
  rowGroupsSkipped: number;
  rowsRead: number;
}

/** What one file scan of a query cost (posted with QueryEnd). */
export interface ScanMetricsSnapshot {
  /** The scan as `explain` names it (`parquet:<path>`). */
  source: string;
  columns: string[];
  bytesFetched: number;
  requests: number;
  rowGroupsRead: number;
  rowGroupsSkipped: number;
  rowsRead: number;
  /** E.g. that a server ignored Range and the whole file was downloaded. */
  notes: string[];
}

export type CinderEvent =
  | { type: "QueryEnd"; queryId: number; result: "succeeded" | "failed"; rows: number; durationMs: number; scans: ScanMetricsSnapshot[]; error?: SerializedError; time: number }
  | { type: "JobStart"; jobId: number; stageIds: number[]; time: number }
  | { type: "JobEnd"; jobId: number; result: "succeeded" | "failed"; error?: SerializedError; time: number }
  /**
   * `coalescedFrom`: the shuffle partitions adaptive execution turned into `numTasks` tasks;
   * `skewedPartitions`: the skewed join partitions among them split into several tasks each;
   * `operators`: what each task runs, root first, one line an operator (the shuffles it reads last).
   */
  | {
      type: "StageSubmitted"; jobId: number; stageId: number; attempt: number; kind: StageKind; numTasks: number; partitions: number[]; parentIds: number[]; operators: string[];
      shuffleId?: number; coalescedFrom?: number; skewedPartitions?: { partition: number; splits: number }[];
      /** Joins adaptive execution turned into hash joins building a side measured under autoBroadcastJoinThreshold. */
      demotedJoins?: { from: string; buildSide: "left" | "right"; buildBytes: number }[];
      time: number;
    }
  | { type: "StageCompleted"; jobId: number; stageId: number; attempt: number; kind: StageKind; failureReason?: string; time: number }
  /** `speculative`: a copy of a straggler still running elsewhere (see the `speculation` config). */
  | { type: "TaskStart"; jobId: number; stageId: number; stageAttempt: number; taskId: number; partition: number; attempt: number; executorId: string; time: number; speculative?: boolean }
  | {
      type: "TaskEnd"; jobId: number; stageId: number; stageAttempt: number; taskId: number; partition: number; attempt: number; executorId: string;
      /** "killed": the driver stopped it because its job was cancelled or failed (Spark's TaskKilled). */
      result: "success" | "failed" | "fetchFailed" | "executorLost" | "killed";
      failureReason?: string; error?: SerializedError; metrics?: TaskMetricsSnapshot; time: number;
    }
  | { type: "ExecutorAdded"; executorId: string; cores: number; kind: string; time: number }
  | { type: "ExecutorRemoved"; executorId: string; reason: string; time: number };

export type CinderEventType = CinderEvent["type"];
