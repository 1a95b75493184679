/**
 * What an operator may reach while it runs one partition: the session's
 * configuration, the data behind Scan sources, and the outputs of the
 * Exchanges below it. The local executor and the distributed executors
 * provide different implementations; operators never know which.
 */
import type { ConfigValues } from "../common/config.ts";
import type { Batch, BatchStream } from "../exec/column-vector.ts";
import type { SourceReader } from "../io/source-reader.ts";
import type { TaskMetrics } from "../types/task-metrics.ts";
import type { PhysicalOf } from "./physical-plan.ts";

/** Reads the outputs of Exchanges: one reduce partition of a shuffle, or all of a broadcast. */
export interface ExchangeReader {
  readShuffle(node: PhysicalOf<"ShuffleExchangeExec">, partition: number, ctx: TaskContext): BatchStream;
  readBroadcast(node: PhysicalOf<"BroadcastExchangeExec">, ctx: TaskContext): Promise<Batch[]>;
}

export interface TaskContext {
  readonly config: ConfigValues;
  readonly sources: SourceReader;
  readonly exchanges: ExchangeReader;
  readonly metrics: TaskMetrics;
  /** Aborted when the driver kills the task; the pipeline stops at its next batch (see interruptible.ts). */
  readonly signal?: AbortSignal;
}
