/**
 * The group table for one integer-like key (int8..int32, uint8..uint32,
 * date32, boolean). While the keys seen span a small range it maps
 * `key - base` straight to a group id through a dense Int32Array (no
 * hashing, no probing: the common case of ids, codes and years); once the
 * range grows past `DIRECT_LIMIT` it switches for good to open addressing
 * with linear probing over a power-of-two slot array.
 */
import type { DataType } from "../../plan/types.ts";
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";
import { mix32 } from "../hash.ts";
import type { GroupTable } from "./group-table.ts";
import { grow, nextCapacity, tableSize } from "./growable.ts";

/** Largest key range mapped directly (1 MiB of Int32 slots). */
const DIRECT_LIMIT = 1 << 18;

export class IntKeyTable implements GroupTable {
  numGroups = 0;
  /** Key of each group (0 for the NULL group). */
  private keys = new Float64Array(16);
  private nullGroup = -1;
  /** Direct mode: group id of key `base + s` at `direct[s]`, -1 when absent; null once in hash mode. */
  private direct: Int32Array | null = new Int32Array(0);
  private base = 0;
  /** Hash mode: group id + 1 per slot, 0 when empty. */
  private slots = new Int32Array(0);

  constructor(private readonly type: DataType) {}

  findOrInsert(keyCols: readonly ColumnVector[], numRows: number, out: Int32Array): void {
    const col = keyCols[0]!;
    const v = col.values, valid = col.validity;
    if (this.direct !== null) {
      let lo = Infinity, hi = -Infinity;
      if (valid === null) {
        for (let i = 0; i < numRows; i++) { const x = v[i]!; if (x < lo) lo = x; if (x > hi) hi = x; }
      } else {
        for (let i = 0; i < numRows; i++) if (valid[i]) { const x = v[i]!; if (x < lo) lo = x; if (x > hi) hi = x; }
      }
      if (lo <= hi && !this.fitDirect(lo, hi)) this.toHashMode();
    }
    if (this.direct !== null) this.insertDirect(v, valid, numRows, out);
    else this.insertHashed(v, valid, numRows, out);
  }

  private addGroup(key: number): number {
    const g = this.numGroups;
    if (g === this.keys.length) this.keys = grow(this.keys, g * 2);
    this.keys[g] = key;
    this.numGroups = g + 1;
    return g;
  }

  private nullId(): number {
    if (this.nullGroup < 0) this.nullGroup = this.addGroup(0);
    return this.nullGroup;
  }

  /** Widens the direct map to cover [lo, hi]; false when that range is too wide. */
  private fitDirect(lo: number, hi: number): boolean {
    const d = this.direct!;
    const newBase = d.length === 0 ? lo : Math.min(this.base, lo);
    const newEnd = d.length === 0 ? hi : Math.max(this.base + d.length - 1, hi);
    const span = newEnd - newBase + 1;
    if (span > DIRECT_LIMIT) return false;
    if (newBase === this.base && span <= d.length) return true;
    const next = new Int32Array(span).fill(-1);
    for (let g = 0; g < this.numGroups; g++) if (g !== this.nullGroup) next[this.keys[g]! - newBase] = g;
    this.direct = next;
    this.base = newBase;
    return true;
  }

  private insertDirect(v: NumericArray, valid: Uint8Array | null, n: number, out: Int32Array): void {
    const d = this.direct!, base = this.base;
    if (valid === null) {
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        let g = d[x - base]!;
        if (g < 0) { g = this.addGroup(x); d[x - base] = g; }
        out[i] = g;
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (valid[i] === 0) { out[i] = this.nullId(); continue; }
        const x = v[i]!;
        let g = d[x - base]!;
        if (g < 0) { g = this.addGroup(x); d[x - base] = g; }
        out[i] = g;
      }
    }
  }

  private toHashMode(): void {
    this.direct = null;
    this.rehash(tableSize(Math.max(64, this.numGroups * 4)));
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size), mask = size - 1, keys = this.keys;
    for (let g = 0; g < this.numGroups; g++) {
      if (g === this.nullGroup) continue;
      let p = mix32(keys[g]! | 0) & mask;
      while (slots[p] !== 0) p = (p + 1) & mask;
      slots[p] = g + 1;
    }
    this.slots = slots;
  }

  private insertHashed(v: NumericArray, valid: Uint8Array | null, n: number, out: Int32Array): void {
    let slots = this.slots, mask = slots.length - 1;
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) { out[i] = this.nullId(); continue; }
      const x = v[i]!;
      let p = mix32(x | 0) & mask;
      let g: number;
      for (;;) {
        const e = slots[p]!;
        if (e === 0) {
          g = this.addGroup(x);
          slots[p] = g + 1;
          if (this.numGroups * 2 > slots.length) {
            this.rehash(nextCapacity(slots.length, slots.length * 2));
            slots = this.slots; mask = slots.length - 1;
          }
          break;
        }
        if (this.keys[e - 1] === x) { g = e - 1; break; }
        p = (p + 1) & mask;
      }
      out[i] = g;
    }
  }

  keyColumns(): ColumnVector[] {
    const n = this.numGroups;
    const values = allocateValues(this.type, n);
    for (let g = 0; g < n; g++) values[g] = this.keys[g]!;
    let validity: Uint8Array | null = null;
    if (this.nullGroup >= 0) {
      validity = new Uint8Array(n).fill(1);
      validity[this.nullGroup] = 0;
    }
    return [{ type: this.type, length: n, values, validity }];
  }
}
