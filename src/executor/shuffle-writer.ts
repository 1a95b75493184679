/**
 * The map side of a shuffle: runs a map task's fragment for its partition,
 * splits every batch by the Exchange's partitioning into `numPartitions`
 * buckets, and stores one block per bucket in the BlockManager. The sizes
 * go back to the driver as the MapStatus.
 */
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize, concatBatches } from "../exec/column-vector.ts";
import { evaluate } from "../exec/evaluate.ts";
import { hashPartitionIds, splitByPartition } from "../exec/partition.ts";
import type { Partitioning, PhysicalPlan } from "../physical/physical-plan.ts";
import { execute } from "../physical/execute.ts";
import type { TaskContext } from "../physical/task-context.ts";
import { InternalError } from "../common/errors.ts";
import type { RangeBounds } from "../exec/range-partition.ts";
import { rangePartitionIds, sampleKeys } from "../exec/range-partition.ts";
import type { ColumnVector } from "../exec/column-vector.ts";
import type { BlockManager } from "./block-manager.ts";
import { shareBatch } from "./shared-batch.ts";
import { shuffleBlockId } from "./task.ts";

export interface ShuffleWriteResult {
  sizes: number[];
  recordsWritten: number;
}

export function reducePartitions(p: Partitioning): number {
  return p.kind === "single" ? 1 : p.numPartitions;
}

export async function writeShuffle(
  plan: PhysicalPlan, mapIndex: number, shuffleId: number, partitioning: Partitioning,
  ctx: TaskContext, blocks: BlockManager, bounds?: RangeBounds,
): Promise<ShuffleWriteResult> {
  if (partitioning.kind === "range" && !bounds) throw new InternalError(`range shuffle ${shuffleId} was sent without its bounds`);
  const n = reducePartitions(partitioning);
  const buckets: Batch[][] = Array.from({ length: n }, () => []);
  let rr = mapIndex, records = 0;
  for await (const batch of execute(plan, mapIndex, ctx)) {
    records += batch.numRows;
    if (partitioning.kind === "single") { buckets[0]!.push(batch); continue; }
    if (partitioning.kind === "roundRobin") { buckets[rr++ % n]!.push(batch); continue; }
    const ids = partitioning.kind === "range"
      ? rangePartitionIds(partitioning.orders.map((o) => evaluate(o.expr, batch)), bounds!, partitioning.orders, batch.numRows)
      : hashPartitionIds(partitioning.keys.map((k) => evaluate(k, batch)), batch.numRows, n);
    splitByPartition(batch, ids, n).forEach((b, i) => { if (b) buckets[i]!.push(b); });
  }
  const width = plan.schema.length;
  const sizes = new Array<number>(n).fill(0);
  for (let r = 0; r < n; r++) {
    const parts = buckets[r]!;
    // One block per reduce partition: fewer, larger buffers to share.
    const block = parts.length === 0 ? [] : [shareBatch(concatBatches(parts, width))];
    sizes[r] = block.reduce((s, b) => s + batchByteSize(b), 0);
    blocks.put(shuffleBlockId(shuffleId, mapIndex, r), block);
  }
  return { sizes, recordsWritten: records };
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
