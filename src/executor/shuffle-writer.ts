/**
 * The map side of a shuffle: runs a map task's fragment for its partition,
 * splits every batch by the Exchange's partitioning into `numPartitions`
 * buckets, and stores one block per bucket in the BlockManager. The sizes
 * go back to the driver as the MapStatus.
 */
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize } from "../exec/column-vector.ts";
import { evaluate } from "../physical/expressions/evaluate.ts";
import type { Partitioning, PhysicalPlan } from "../physical/physical-plan.ts";
import { execute } from "../physical/execute.ts";
import type { TaskContext } from "../physical/task-context.ts";
import { InternalError } from "../common/errors.ts";
import type { RangeBounds } from "../exec/range-partition.ts";
import { rangePartitionIds, sampleKeys } from "../exec/range-partition.ts";
import type { ColumnVector } from "../exec/column-vector.ts";
import type { BlockManager } from "./block-manager.ts";
import { scatterToPartitions } from "./shuffle-scatter.ts";
import type { SharedAllocator } from "./shuffle-scatter.ts";
import { partitionIds } from "./partition-ids.ts";
import { roundRobinPartitionIds } from "../exec/partition.ts";
import { shuffleBlockId } from "./task.ts";

export interface ShuffleWriteResult {
  sizes: number[];
  recordsWritten: number;
  /** The blocks written, by reduce partition. */
  blocks: Batch[][];
}

export function reducePartitions(p: Partitioning): number {
  return p.kind === "single" ? 1 : p.numPartitions;
}

export async function writeShuffle(
  plan: PhysicalPlan, mapIndex: number, shuffleId: number, partitioning: Partitioning,
  ctx: TaskContext, blocks: BlockManager, bounds?: RangeBounds, allocate?: SharedAllocator,
): Promise<ShuffleWriteResult> {
  if (partitioning.kind === "range" && !bounds) throw new InternalError(`range shuffle ${shuffleId} was sent without its bounds`);
  const n = reducePartitions(partitioning);
  const batches: Batch[] = [];
  const ids: Int32Array[] = [];
  let rr = mapIndex, records = 0;
  // Rows per reduce partition, counted while the hash ids are computed (the other partitionings leave it to the scatter).
  const counts = partitioning.kind === "hash" ? new Int32Array(n) : undefined;
  for await (const batch of execute(plan, mapIndex, ctx)) {
    if (batch.numRows === 0) continue;
    records += batch.numRows;
    batches.push(batch);
    if (partitioning.kind === "single") ids.push(new Int32Array(batch.numRows));
    else if (partitioning.kind === "roundRobin") { ids.push(roundRobinPartitionIds(batch.numRows, n, rr)); rr += batch.numRows; }
    else if (partitioning.kind === "range") ids.push(rangePartitionIds(partitioning.orders.map((o) => evaluate(o.expr, batch)), bounds!, partitioning.orders, batch.numRows));
    else ids.push(partitionIds(partitioning.keys.map((k) => evaluate(k, batch)), batch.numRows, n, counts));
  }
  const width = plan.schema.length;
  const blocksOut = batches.length === 0 ? [] : scatterToPartitions(batches, ids, n, width, counts, allocate);
  const sizes = new Array<number>(n).fill(0);
  const written: Batch[][] = [];
  for (let r = 0; r < n; r++) {
    // One block per reduce partition: fewer, larger buffers to share.
    const b = blocksOut[r];
    const block = b ? [b] : [];
    sizes[r] = b ? batchByteSize(b) : 0;
    blocks.put(shuffleBlockId(shuffleId, mapIndex, r), block);
    written.push(block);
  }
  return { sizes, recordsWritten: records, blocks: written };
}

/** The sampling pass of a range shuffle (Spark's RangePartitioner sketch): a sample of this partition's sort keys. */
export async function sampleRangeKeys(plan: PhysicalPlan, partition: number, partitioning: Extract<Partitioning, { kind: "range" }>, ctx: TaskContext): Promise<{ keys: ColumnVector[]; rows: number }> {
  const batchKeys: ColumnVector[][] = [];
  let rows = 0;
  for await (const batch of execute(plan, partition, ctx)) {
    rows += batch.numRows;
    batchKeys.push(partitioning.orders.map((o) => evaluate(o.expr, batch)));
  }
  return { keys: sampleKeys(batchKeys, partitioning.numPartitions), rows };
}
