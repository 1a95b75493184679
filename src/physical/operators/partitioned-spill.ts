/**
 * The spill of grace hash aggregation and grace hash join (what DataFusion
 * and Spark fall back to when a hash table outgrows memory): rows are split
 * by a hash of their key into `SPILL_PARTITIONS` partitions written to the
 * spill store, so each partition holds a fraction of the keys and is
 * aggregated, or joined with the same partition of the other side, on its
 * own. The
 * hash is salted by the recursion depth, so a partition that is still too
 * large splits differently the next time, and so that rows a shuffle
 * placed here by hash do not all fall in one partition.
 */
import type { Batch, BatchStream, ColumnVector } from "../../exec/column-vector.ts";
import { batchByteSize, concatBatches } from "../../exec/column-vector.ts";
import { hashRows, mix32 } from "../../exec/hash.ts";
import { splitByPartition } from "../../exec/partition.ts";
import type { SpillRun, SpillStore } from "../../io/spill-store.ts";
import type { TaskMemory } from "../task-context.ts";

export const SPILL_PARTITIONS = 8;

export class PartitionedSpill {
  private readonly buffers: Batch[][] = Array.from({ length: SPILL_PARTITIONS }, () => []);
  private readonly runs: SpillRun[][] = Array.from({ length: SPILL_PARTITIONS }, () => []);
  private reserved = 0;

  constructor(
    readonly store: SpillStore, private readonly memory: TaskMemory,
    private readonly width: number, private readonly depth: number,
  ) {}

  /** Adds rows whose keys are `keys`; buffers are written out when their memory is refused. */
  async add(batch: Batch, keys: readonly ColumnVector[]): Promise<void> {
    if (batch.numRows === 0) return;
    const hashes = hashRows(keys, batch.numRows);
    const salt = Math.imul(this.depth + 1, 0x9e3779b1);
    const ids = new Int32Array(batch.numRows);
    for (let i = 0; i < ids.length; i++) ids[i] = (mix32((hashes[i]! ^ salt) | 0) >>> 0) % SPILL_PARTITIONS;
    splitByPartition(batch, ids, SPILL_PARTITIONS).forEach((part, p) => { if (part) this.buffers[p]!.push(part); });
    const bytes = batchByteSize(batch);
    if (this.memory.tryReserve(bytes)) this.reserved += bytes;
    else await this.flush();
  }

  /** Writes every buffered partition as one run each. */
  async flush(): Promise<void> {
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const buffered = this.buffers[p]!;
      if (buffered.length === 0) continue;
      const run = await this.store.writeRun([concatBatches(buffered, this.width)]);
      this.runs[p]!.push(run);
      this.memory.spillBytes += run.bytes;
      this.memory.spillFiles++;
      this.buffers[p] = [];
    }
    this.memory.release(this.reserved);
    this.reserved = 0;
  }

  /** Partition `p`'s rows, read back one chunk at a time. */
  async *partition(p: number): BatchStream {
    for (const run of this.runs[p]!) for (let c = 0; c < run.offsets.length - 1; c++) yield* await this.store.readChunk(run, c);
  }

  /** Removes the partitions' runs. */
  async remove(): Promise<void> {
    this.memory.release(this.reserved);
    for (const runs of this.runs) for (const r of runs) await this.store.remove(r);
  }
}
