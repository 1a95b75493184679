/**
 * The group table for keys that are all fixed-width (numbers, decimals,
 * dates, timestamps, booleans), one or several: each group's key values
 * are copied row-major into the table's own Float64Array (every such
 * value is exact as a double, see column-vector.ts), with a validity byte
 * per key cell. Probing compares against that compact array rather than
 * reaching back into old input batches, which is what made a row-referencing
 * table miss the cache on every lookup.
 */
import type { DataType } from "../../types/data-types.ts";
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";
import { hashRows } from "../hash.ts";
import type { GroupTable } from "./group-table.ts";
import { grow } from "./growable.ts";

export class FixedKeyTable implements GroupTable {
  numGroups = 0;
  private readonly width: number;
  /** Group g's key values at [g * width, (g + 1) * width). */
  private values: Float64Array;
  private valid: Uint8Array;
  private hashes = new Uint32Array(16);
  private slots = new Int32Array(64);
  private readonly cols: NumericArray[] = [];
  private readonly validity: (Uint8Array | null)[] = [];

  constructor(private readonly types: readonly DataType[]) {
    this.width = types.length;
    this.values = new Float64Array(16 * this.width);
    this.valid = new Uint8Array(16 * this.width);
  }

  findOrInsert(keys: readonly ColumnVector[], numRows: number, out: Int32Array): void {
    for (let c = 0; c < this.width; c++) { this.cols[c] = keys[c]!.values; this.validity[c] = keys[c]!.validity; }
    this.insertRows(hashRows(keys, numRows), numRows, out);
  }

  /** The probing loop, in a method of its own so V8 optimizes it whole. */
  private insertRows(h: Uint32Array, n: number, out: Int32Array): void {
    let slots = this.slots, mask = slots.length - 1;
    for (let i = 0; i < n; i++) {
      const hv = h[i]!;
      let p = hv & mask;
      let g: number;
      for (;;) {
        const e = slots[p]!;
        if (e === 0) {
          g = this.addGroup(hv, i);
          slots[p] = g + 1;
          if (this.numGroups * 2 > slots.length) {
            this.rehash(slots.length * 2);
            slots = this.slots; mask = slots.length - 1;
          }
          break;
        }
        g = e - 1;
        if (this.hashes[g] === hv && this.equalAt(g, i)) break;
        p = (p + 1) & mask;
      }
      out[i] = g;
    }
  }

  private equalAt(g: number, i: number): boolean {
    const w = this.width, base = g * w, values = this.values, valid = this.valid;
    for (let c = 0; c < w; c++) {
      const vv = this.validity[c]!;
      const rowValid = vv === null ? 1 : vv[i]!;
      if (rowValid !== valid[base + c]) return false;
      if (rowValid === 0) continue;
      const x = this.cols[c]![i]!, y = values[base + c]!;
      // NaN groups with NaN, as in rowsEqual.
      if (x !== y && (x === x || y === y)) return false;
    }
    return true;
  }

  private addGroup(h: number, i: number): number {
    const g = this.numGroups, w = this.width;
    if (g === this.hashes.length) {
      this.hashes = grow(this.hashes, g * 2);
      this.values = grow(this.values, g * 2 * w);
      this.valid = grow(this.valid, g * 2 * w);
    }
    for (let c = 0; c < w; c++) {
      const vv = this.validity[c]!;
      const ok = vv === null ? 1 : vv[i]!;
      this.valid[g * w + c] = ok;
      this.values[g * w + c] = ok ? this.cols[c]![i]! : 0;
    }
    this.hashes[g] = h;
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
    const n = this.numGroups, w = this.width;
    return this.types.map((type, c) => {
      const values = allocateValues(type, n);
      let validity: Uint8Array | null = null;
      for (let g = 0; g < n; g++) {
        values[g] = this.values[g * w + c]!;
        if (this.valid[g * w + c] === 0) {
          validity ??= new Uint8Array(n).fill(1);
          validity[g] = 0;
        }
      }
      return { type, length: n, values, validity };
    });
  }
}
