/**
 * The group table for keys of any types, used when several keys mix in a
 * string (all fixed-width keys go to FixedKeyTable). Rows are hashed with `hashRows` and compared with
 * `rowsEqual`; a group remembers the batch and row it was first seen in,
 * and the key columns of those batches are kept. Groups are numbered in
 * order of appearance, so the groups first seen in one batch form a
 * contiguous id range, and the output keys are one `take` per kept batch.
 */
import type { ColumnVector } from "../column-vector.ts";
import { concat, take } from "../column-vector.ts";
import { hashRows, rowsEqual } from "../hash.ts";
import type { GroupTable } from "./group-table.ts";
import { grow } from "./growable.ts";

export class GeneralKeyTable implements GroupTable {
  numGroups = 0;
  private hashes = new Uint32Array(16);
  private batchOf = new Int32Array(16);
  private rowOf = new Int32Array(16);
  private slots = new Int32Array(64);
  /** Key columns of the batches that created groups, and the first group each created. */
  private readonly batches: (readonly ColumnVector[])[] = [];
  private readonly firstGroup: number[] = [];

  findOrInsert(keys: readonly ColumnVector[], numRows: number, out: Int32Array): void {
    const b = this.batches.length;
    const before = this.numGroups;
    this.batches.push(keys);
    this.insertRows(keys, hashRows(keys, numRows), numRows, out, b);
    if (this.numGroups === before) this.batches.pop();
    else this.firstGroup.push(before);
  }

  /** The probing loop, in a method of its own so V8 optimizes it whole (no deoptimizing exit from an on-stack-replaced loop per batch). */
  private insertRows(keys: readonly ColumnVector[], h: Uint32Array, n: number, out: Int32Array, batch: number): void {
    let slots = this.slots, mask = slots.length - 1;
    for (let i = 0; i < n; i++) {
      const hv = h[i]!;
      let p = hv & mask;
      let g: number;
      for (;;) {
        const e = slots[p]!;
        if (e === 0) {
          g = this.addGroup(hv, batch, i);
          slots[p] = g + 1;
          if (this.numGroups * 2 > slots.length) {
            this.rehash(slots.length * 2);
            slots = this.slots; mask = slots.length - 1;
          }
          break;
        }
        g = e - 1;
        if (this.hashes[g] === hv && rowsEqual(this.batches[this.batchOf[g]!]!, this.rowOf[g]!, keys, i)) break;
        p = (p + 1) & mask;
      }
      out[i] = g;
    }
  }

  private addGroup(h: number, batch: number, row: number): number {
    const g = this.numGroups;
    if (g === this.hashes.length) {
      this.hashes = grow(this.hashes, g * 2);
      this.batchOf = grow(this.batchOf, g * 2);
      this.rowOf = grow(this.rowOf, g * 2);
    }
    this.hashes[g] = h;
    this.batchOf[g] = batch;
    this.rowOf[g] = row;
    this.numGroups = g + 1;
    return g;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size), mask = size - 1;
    for (let g = 0; g < this.numGroups; g++) {
      let p = this.hashes[g]! & mask;
      while (slots[p] !== 0) p = (p + 1) & mask;
      slots[p] = g + 1;
    }
    this.slots = slots;
  }

  keyColumns(): ColumnVector[] {
    if (this.batches.length === 0) return [];
    const width = this.batches[0]!.length;
    const columns: ColumnVector[] = [];
    for (let c = 0; c < width; c++) {
      const parts = this.batches.map((keys, j) => {
        const end = j + 1 < this.firstGroup.length ? this.firstGroup[j + 1]! : this.numGroups;
        return take(keys[c]!, this.rowOf.subarray(this.firstGroup[j]!, end));
      });
      columns.push(concat(parts));
    }
    return columns;
  }
}
