/**
 * The disk tier of an executor's blocks: MEMORY_AND_DISK cached partitions
 * that storage memory had to evict are written to this runtime's spill
 * store (a temp directory in Node, OPFS in a browser) instead of dropped,
 * and read back from there, by this executor's tasks or by another
 * executor's fetch. Where there is no spill store (an edge isolate) an
 * evicted block is dropped, as a MEMORY_ONLY one is, and recomputed from
 * lineage when next read.
 */
import type { Batch } from "../exec/column-vector.ts";
import type { SpillRun, SpillStore } from "../io/spill-store.ts";
import { openSpillStore } from "../io/spill-store.ts";

export class DiskBlocks {
  /** Each block's run, once written; the write may still be under way. */
  private readonly runs = new Map<string, Promise<SpillRun | null>>();

  constructor(private readonly store: () => Promise<SpillStore | null> = openSpillStore) {}

  /**
   * Starts writing `batches` as block `blockId`. The batches stay reachable (and in the process's
   * memory, though no longer counted in storage memory) until the write ends: eviction must be
   * synchronous, so it cannot wait for the disk.
   */
  put(blockId: string, batches: readonly Batch[]): void {
    const write = this.store().then((s) => (s ? s.writeRun(batches) : null)).catch(() => null);
    this.runs.set(blockId, write);
  }

  has(blockId: string): boolean { return this.runs.has(blockId); }

  get size(): number { return this.runs.size; }

  /** Block `blockId` read back, or null when it is not here (never written, dropped, or the write failed). */
  async get(blockId: string): Promise<Batch[] | null> {
    const run = await this.runs.get(blockId);
    if (!run) return null;
    const store = (await this.store())!;
    const batches: Batch[] = [];
    for (let i = 0; i + 1 < run.offsets.length; i++) batches.push(...await store.readChunk(run, i));
    return batches;
  }

  remove(blockId: string): void {
    const run = this.runs.get(blockId);
    if (!run) return;
    this.runs.delete(blockId);
    void run.then(async (r) => { if (r) await (await this.store())?.remove(r); }).catch(() => undefined);
  }

  removeByPrefix(prefix: string): void {
    for (const id of [...this.runs.keys()]) if (id.startsWith(prefix)) this.remove(id);
  }

  clear(): void {
    for (const id of [...this.runs.keys()]) this.remove(id);
  }
}
