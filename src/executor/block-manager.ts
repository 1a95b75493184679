/**
 * One executor's block store: shuffle outputs, shipped in-memory tables and
 * broadcast values, each a list of batches under a string id. Blocks are
 * kept in shared memory (see shared-batch.ts) so another executor in the
 * same page or process reads them without a copy.
 */
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize } from "../exec/column-vector.ts";

export class BlockManager {
  private readonly blocks = new Map<string, Batch[]>();

  put(id: string, batches: Batch[]): void {
    this.blocks.set(id, batches);
  }

  get(id: string): Batch[] | undefined {
    return this.blocks.get(id);
  }

  has(id: string): boolean {
    return this.blocks.has(id);
  }

  remove(id: string): boolean {
    return this.blocks.delete(id);
  }

  /** Removes every block whose id starts with `prefix`; returns how many. */
  removeByPrefix(prefix: string): number {
    let n = 0;
    for (const id of [...this.blocks.keys()]) if (id.startsWith(prefix)) { this.blocks.delete(id); n++; }
    return n;
  }

  clear(): void {
    this.blocks.clear();
  }

  get size(): number { return this.blocks.size; }

  /** Blocks whose id starts with one of `prefixes`. */
  countByPrefix(...prefixes: string[]): number {
    let n = 0;
    for (const id of this.blocks.keys()) if (prefixes.some((p) => id.startsWith(p))) n++;
    return n;
  }

  get bytes(): number {
    let n = 0;
    for (const batches of this.blocks.values()) for (const b of batches) n += batchByteSize(b);
    return n;
  }
}
