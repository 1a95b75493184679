/**
 * The one interface through which a running task reads a data source; the
 * session's SourceRegistry implements it, and a cluster's executors get one
 * that reads the splits the driver planned.
 */
import type { DataSource } from "../plan/logical-plan.ts";
import type { Expr } from "../plan/expressions.ts";
import type { Field } from "../types/data-types.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import type { TaskMetrics } from "../types/task-metrics.ts";

/** Reads one partition (split) of a data source. */
export interface SourceReader {
  numPartitions(source: DataSource): number;
  /** Batches of partition `partition`, only the `projection` columns of `schema`; `filters` may be used to skip data. */
  read(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[], partition: number, limit?: number, metrics?: TaskMetrics): BatchStream;
}
