/**
 * The disk tier of an executor's blocks, in this runtime's spill store (a
 * temp directory in Node, OPFS in a browser): MEMORY_AND_DISK cached
 * partitions that storage memory had to evict, and the output of map tasks
 * that outgrew their execution memory while writing a shuffle. They are
 * read back from here by this executor's tasks or by another executor's
 * fetch. Where there is no spill store (an edge isolate) an evicted block
 * is dropped, as a MEMORY_ONLY one is, and recomputed from lineage when
 * next read.
 *
 * A block is a list of segments, each one chunk of a run: a spilled map
 * output writes one run per spill holding every reduce partition, so its
 * blocks share runs, and a run is removed with the last block that uses it.
 */
import type { Batch } from "../exec/column-vector.ts";
import type { SpillRun, SpillStore } from "../io/spill-store.ts";
import { openSpillStore } from "../io/spill-store.ts";

/** Chunk `chunk` of `run`. */
export interface DiskSegment {
  readonly run: SpillRun;
  readonly chunk: number;
}

export class DiskBlocks {
  /** Each block's segments, once written; the write may still be under way. */
  private readonly segments = new Map<string, Promise<DiskSegment[] | null>>();
  /** How many blocks use each run, by run name. */
  private readonly users = new Map<string, number>();

  constructor(private readonly store: () => Promise<SpillStore | null> = openSpillStore) {}

  /**
   * Starts writing `batches` as block `blockId`. The batches stay reachable (and in the process's
   * memory, though no longer counted in storage memory) until the write ends: eviction must be
   * synchronous, so it cannot wait for the disk.
   */
  put(blockId: string, batches: readonly Batch[]): void {
    // A block id names its contents: a copy already on disk (read back, then evicted again) is that block.
    if (this.segments.has(blockId)) return;
    const write = this.store().then(async (s) => {
      if (!s) return null;
      const run = await s.writeRun(batches);
      this.use(run);
      return run.offsets.slice(1).map((_, chunk) => ({ run, chunk }));
    }).catch(() => null);
    this.segments.set(blockId, write);
  }

  /** Keeps block `blockId` as `segments` of runs already written (a spilled map output's). */
  adopt(blockId: string, segments: readonly DiskSegment[]): void {
    for (const run of new Set(segments.map((s) => s.run))) this.use(run);
    // A map task rerun on this executor replaces its earlier output, whose runs go with their last user.
    this.remove(blockId);
    this.segments.set(blockId, Promise.resolve([...segments]));
  }

  has(blockId: string): boolean { return this.segments.has(blockId); }

  get size(): number { return this.segments.size; }

  /** Block `blockId` read back, or null when it is not here (never written, dropped, or the write failed). */
  async get(blockId: string): Promise<Batch[] | null> {
    const segments = await this.segments.get(blockId);
    if (!segments) return null;
    // A reader is a user of the runs, so a block removed or replaced meanwhile keeps its files until the read ends.
    const runs = [...new Set(segments.map((s) => s.run))];
    for (const run of runs) this.use(run);
    try {
      const store = (await this.store())!;
      const batches: Batch[] = [];
      for (const s of segments) batches.push(...await store.readChunk(s.run, s.chunk));
      return batches;
    } finally {
      await this.release(runs);
    }
  }

  remove(blockId: string): void {
    const segments = this.segments.get(blockId);
    if (!segments) return;
    this.segments.delete(blockId);
    void segments.then((list) => this.release([...new Set(list?.map((s) => s.run))])).catch(() => undefined);
  }

  removeByPrefix(prefix: string): void {
    for (const id of [...this.segments.keys()]) if (id.startsWith(prefix)) this.remove(id);
  }

  clear(): void {
    for (const id of [...this.segments.keys()]) this.remove(id);
  }

  private use(run: SpillRun): void {
    this.users.set(run.name, (this.users.get(run.name) ?? 0) + 1);
  }

  /** Drops one use of each of `runs`, deleting a run with its last user. */
  private async release(runs: readonly SpillRun[]): Promise<void> {
    for (const run of runs) {
      const left = (this.users.get(run.name) ?? 1) - 1;
      if (left > 0) { this.users.set(run.name, left); continue; }
      this.users.delete(run.name);
      await (await this.store())?.remove(run);
    }
  }
}
