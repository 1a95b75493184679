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

/**
 * A task's share of its executor's execution memory (src/executor/memory-manager.ts): operators reserve
 * before they grow, and spill or fail when a reservation is refused.
 */
export interface TaskMemory {
  /** Reserves `bytes`, all or nothing. */
  tryReserve(bytes: number): boolean;
  release(bytes: number): void;
  /** The most the task held at once, and what it spilled. */
  readonly peak: number;
  spillBytes: number;
  spillFiles: number;
  /** The RESOURCES_EXHAUSTED error for `what`, which could neither reserve `needed` bytes nor spill. */
  exhausted(what: string, needed: number): Error;
}

export interface TaskContext {
  readonly config: ConfigValues;
  readonly sources: SourceReader;
  readonly exchanges: ExchangeReader;
  readonly metrics: TaskMetrics;
  /** Aborted when the driver kills the task; the pipeline stops at its next batch (see interruptible.ts). */
  readonly signal?: AbortSignal;
  /** The task's share of its executor's execution memory; absent: unaccounted (operators keep everything in memory). */
  readonly memory?: TaskMemory;
}
