/**
 * The map side of a shuffle: runs a map task's fragment for its partition,
 * splits every batch by the Exchange's partitioning into `numPartitions`
 * buckets, and stores one block per bucket in the BlockManager. The sizes
 * go back to the driver as the MapStatus.
 *
 * The batches waiting to be scattered are reserved in the task's execution
 * memory (with their scattered copy). When a reservation is refused, what
 * is buffered is scattered and written to the spill store as one run whose
 * chunks are the reduce partitions (Spark's sort-based shuffle spilling its
 * map-side buffer); a map output that spilled once goes to disk whole, and
 * its blocks are served from the executor's disk tier.
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
import type { DiskBlocks, DiskSegment } from "./disk-blocks.ts";
import type { SpillStore } from "../io/spill-store.ts";
import { spillStoreFor } from "../physical/spill-store-for.ts";

export interface ShuffleWriteResult {
  sizes: number[];
  recordsWritten: number;
  /** The blocks kept in memory, by reduce partition; null when the output went to the disk tier. */
  blocks: Batch[][] | null;
}

/** Reservation per buffered byte: the batch and its scattered copy. */
const SCATTER_OVERHEAD = 2;

/** A map output that outgrew its memory: each spill a run of the reduce partitions it had rows for. */
class MapOutputSpill {
  readonly segments: DiskSegment[][];
  readonly sizes: number[];
  private store: SpillStore | null = null;

  constructor(private readonly n: number, private readonly width: number, private readonly ctx: TaskContext) {
    this.segments = Array.from({ length: n }, () => []);
    this.sizes = new Array<number>(n).fill(0);
  }

  get spilled(): boolean { return this.segments.some((s) => s.length > 0); }

  async write(batches: Batch[], ids: Int32Array[], counts: Int32Array | undefined): Promise<void> {
    const memory = this.ctx.memory!;
    this.store ??= await spillStoreFor(this.ctx, memory, "a shuffle write", batches.reduce((t, b) => t + batchByteSize(b), 0) * SCATTER_OVERHEAD);
    // Plain memory: the scattered buckets only live until they are written.
    const buckets = scatterToPartitions(batches, ids, this.n, this.width, counts, null);
    const chunks: Batch[] = [], of: number[] = [];
    buckets.forEach((b, r) => { if (b) { chunks.push(b); of.push(r); this.sizes[r]! += batchByteSize(b); } });
    const run = await this.store.writeRun(chunks);
    of.forEach((r, chunk) => this.segments[r]!.push({ run, chunk }));
    memory.spillBytes += run.bytes;
    memory.spillFiles++;
  }
}

export function reducePartitions(p: Partitioning): number {
  return p.kind === "single" ? 1 : p.numPartitions;
}

export async function writeShuffle(
  plan: PhysicalPlan, mapIndex: number, shuffleId: number, partitioning: Partitioning,
  ctx: TaskContext, blocks: BlockManager, disk: DiskBlocks, bounds?: RangeBounds, allocate?: SharedAllocator,
): Promise<ShuffleWriteResult> {
  if (partitioning.kind === "range" && !bounds) throw new InternalError(`range shuffle ${shuffleId} was sent without its bounds`);
  const n = reducePartitions(partitioning);
  const width = plan.schema.length;
  let batches: Batch[] = [];
  let ids: Int32Array[] = [];
  let rr = mapIndex, records = 0, reserved = 0;
  // Rows per reduce partition, counted while the hash ids are computed (the other partitionings leave it to the scatter).
  const counts = partitioning.kind === "hash" ? new Int32Array(n) : undefined;
  const spill = new MapOutputSpill(n, width, ctx);
  const spillBuffered = async () => {
    await spill.write(batches, ids, counts);
    batches = [];
    ids = [];
    counts?.fill(0);
    ctx.memory!.release(reserved);
    reserved = 0;
  };
  for await (const batch of execute(plan, mapIndex, ctx)) {
    if (batch.numRows === 0) continue;
    records += batch.numRows;
    batches.push(batch);
    if (partitioning.kind === "single") ids.push(new Int32Array(batch.numRows));
    else if (partitioning.kind === "roundRobin") { ids.push(roundRobinPartitionIds(batch.numRows, n, rr)); rr += batch.numRows; }
    else if (partitioning.kind === "range") ids.push(rangePartitionIds(partitioning.orders.map((o) => evaluate(o.expr, batch)), bounds!, partitioning.orders, batch.numRows));
    else ids.push(partitionIds(partitioning.keys.map((k) => evaluate(k, batch)), batch.numRows, n, counts));
    if (!ctx.memory) continue;
    const need = batchByteSize(batch) * SCATTER_OVERHEAD;
    if (ctx.memory.tryReserve(need)) reserved += need;
    else await spillBuffered();
  }
  if (spill.spilled) {
    if (batches.length > 0) await spillBuffered();
    spill.segments.forEach((segments, r) => {
      const id = shuffleBlockId(shuffleId, mapIndex, r);
      if (segments.length) disk.adopt(id, segments);
      else blocks.put(id, []);
    });
    return { sizes: spill.sizes, recordsWritten: records, blocks: null };
  }
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
