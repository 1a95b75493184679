/**
 * What an operator may reach while it runs one partition: the session's
 * configuration, the data behind Scan sources, and the outputs of the
 * Exchanges below it. The local executor and the distributed executors
 * provide different implementations; operators never know which.
 */
import type { ConfigValues } from "../common/config.ts";
import type { DataSource } from "../plan/logical-plan.ts";
import type { Field } from "../plan/types.ts";
import type { Expr } from "../plan/expressions.ts";
import type { Batch } from "../exec/column-vector.ts";
import type { PhysicalOf } from "./physical-plan.ts";

export type BatchStream = AsyncIterable<Batch>;

/** Reads one partition (split) of a data source. */
export interface SourceReader {
  numPartitions(source: DataSource): number;
  /** Batches of partition `partition`, only the `projection` columns of `schema`; `filters` may be used to skip data. */
  read(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[], partition: number, limit?: number, metrics?: TaskMetrics): BatchStream;
}

/** Reads the outputs of Exchanges: one reduce partition of a shuffle, or all of a broadcast. */
export interface ExchangeReader {
  readShuffle(node: PhysicalOf<"ShuffleExchangeExec">, partition: number, ctx: TaskContext): BatchStream;
  readBroadcast(node: PhysicalOf<"BroadcastExchangeExec">, ctx: TaskContext): Promise<Batch[]>;
}

/** Counters an operator adds to while it runs (shown by explain/metrics and the listener bus). */
export interface TaskMetrics {
  rowsScanned: number;
  bytesRead: number;
  rowGroupsSkipped: number;
  rowGroupsRead: number;
}

export interface TaskContext {
  readonly config: ConfigValues;
  readonly sources: SourceReader;
  readonly exchanges: ExchangeReader;
  readonly metrics: TaskMetrics;
}

export function newTaskMetrics(): TaskMetrics {
  return { rowsScanned: 0, bytesRead: 0, rowGroupsSkipped: 0, rowGroupsRead: 0 };
}
