/**
 * What crosses the driver/executor boundary: a task description (a plan
 * fragment for one partition plus where its inputs are) and a task result
 * (a MapStatus for a shuffle map task, the partition's batches for a result
 * task). Plain data only — no closures — so the same description runs
 * in-process, in a worker thread or in a Web Worker.
 */
import type { ConfigValues } from "../common/config.ts";
import type { TaskMetricsSnapshot } from "../common/events.ts";
import type { Batch, ColumnVector } from "../exec/column-vector.ts";
import type { RangeBounds } from "../exec/range-partition.ts";
import type { Partitioning, PhysicalPlan } from "../physical/physical-plan.ts";

/** Where the map outputs of one shuffle live, as a reducer needs to know. */
export interface ShuffleInput {
  shuffleId: number;
  /** Executor holding map task `m`'s output; null when it was lost (the read fails with FetchFailed). */
  locations: (string | null)[];
}

export type TaskOutput =
  | { kind: "result" }
  /** `rangeBounds` is set for range partitioning: computed once by the driver from a sampling pass. */
  | { kind: "shuffle"; shuffleId: number; partitioning: Partitioning; rangeBounds?: RangeBounds }
  /** A sampling pass before a range shuffle: return a sample of the sort keys of this partition. */
  | { kind: "sample"; partitioning: Extract<Partitioning, { kind: "range" }> }
  /** Persist: keep the partition's batches here as block `rdd_<rddId>_<partition>` instead of returning them. */
  | { kind: "cache"; rddId: number; useDisk?: boolean };

/**
 * Where cached partitions live (Spark's names). On a cluster, MEMORY_AND_DISK partitions that
 * storage memory evicts go to the executor's spill store and are read back from there; MEMORY_ONLY
 * ones are dropped and recomputed from lineage. The local backend keeps both in the session's memory.
 */
export type StorageLevel = "MEMORY_ONLY" | "MEMORY_AND_DISK";

export interface TaskDescription {
  jobId: number;
  stageId: number;
  stageAttempt: number;
  taskId: number;
  /** Attempt number of this partition's task within the stage attempt (0-based). */
  attempt: number;
  partition: number;
  /** The stage's fragment; Exchange nodes in it are served from shuffle blocks by `exchangeId`. */
  plan: PhysicalPlan;
  output: TaskOutput;
  /** Map-output locations of every Exchange the fragment reads, by `exchangeId`. */
  shuffles: Record<number, ShuffleInput>;
  config: ConfigValues;
  /**
   * The shuffle partitions [start, end) this task reads from every shuffle input, in order, when adaptive
   * coalescing merged neighbouring partitions into one task; absent: partition `partition` alone.
   */
  reduceRange?: [number, number];
  /**
   * For a task of a skewed join partition split by adaptive execution: the map outputs [start, end) it reads
   * from the named exchanges (by `exchangeId`); other exchanges are read from every map output.
   */
  mapRanges?: Record<number, [number, number]>;
  /** Exchanges (by `exchangeId`) read whole, every reduce partition, by each task: the build side of a join adaptive execution demoted to a hash join. */
  wholeExchanges?: number[];
  /** Executor holding each partition of every cached RDD the fragment scans (null: not cached anywhere alive). */
  cached?: Record<number, (string | null)[]>;
}

export type TaskResult =
  | { kind: "result"; batches: Batch[]; metrics: TaskMetricsSnapshot }
  /**
   * `blocks`, from a worker executor with shared memory: the output blocks by reduce partition (zero-copy
   * handles), which the worker's driver-side proxy serves to other executors itself (see RemoteExecutor).
   */
  | { kind: "mapStatus"; sizes: number[]; metrics: TaskMetricsSnapshot; blocks?: Batch[][] }
  | { kind: "sample"; keys: ColumnVector[]; metrics: TaskMetricsSnapshot }
  /** A persist task's block status (Spark's BlockStatus): the block is kept on the executor that ran the task. */
  | { kind: "cached"; rddId: number; bytes: number; rows: number; metrics: TaskMetricsSnapshot };

export interface ExecutorHeartbeat {
  executorId: string;
  blocks: number;
  blockBytes: number;
  runningTasks: number;
  /**
   * Shuffle and broadcast blocks held: none once no job needs them (a leak check). On a worker executor it
   * also counts the block handles its driver-side proxy serves.
   */
  shuffleBlocks: number;
  /** Bytes of cached blocks counted in storage memory, and how many cached blocks were evicted to make room. */
  storageMemory?: number;
  evictedBlocks?: number;
  /** MEMORY_AND_DISK cached blocks held on this executor's disk tier. */
  diskBlocks?: number;
  /** Shared memory of removed shuffles kept for reuse (`shuffle.memoryPool`). */
  shuffleMemoryRetained: number;
}

export function shuffleBlockId(shuffleId: number, mapIndex: number, reduceIndex: number): string {
  return `shuffle_${shuffleId}_${mapIndex}_${reduceIndex}`;
}

export function tableBlockId(tableId: string, partition: number): string {
  return `table_${tableId}_${partition}`;
}

export function broadcastBlockId(shuffleId: number): string {
  return `broadcast_${shuffleId}`;
}

/** Spark's name for a cached partition's block. */
export function rddBlockId(rddId: number, partition: number): string {
  return `rdd_${rddId}_${partition}`;
}

/**
 * The `external` DataSource format of a persisted DataFrame: a Scan of it
 * reads the cached blocks (Spark's InMemoryRelation), and `explain` shows it.
 */
export const CACHED_FORMAT = "InMemoryRelation";

/** The RDD id a Scan source reads from the cache, or null when it is no cached source. */
export function cachedRddOf(source: { kind: string; format?: string; id?: string }): number | null {
  if (source.kind !== "external" || source.format !== CACHED_FORMAT || !source.id) return null;
  const m = /^rdd_(\d+)$/.exec(source.id);
  return m ? Number(m[1]) : null;
}

/** Partitions of a cached-RDD scan source (set in its options when it was cached). */
export function cachedRddPartitions(source: { options?: Record<string, unknown> }): number {
  return Number(source.options?.numPartitions ?? 1);
}

let lastRddId = 0;

/** A fresh RDD id, unique in this process (cached DataFrames and RDDs share the `rdd_<id>` block namespace). */
export function newRddId(): number {
  return ++lastRddId;
}
