/**
 * The group table for one integer-like key (int8..int32, uint8..uint32,
 * date32, boolean). While the keys seen span a small range it maps
 * `key - base` straight to a group id through a dense Int32Array (no
 * hashing, no probing: the common case of ids, codes and years); once the
 * range grows past `DIRECT_LIMIT` it switches for good to open addressing
 * with linear probing over a power-of-two slot array.
 */
import type { DataType } from "../../types/data-types.ts";
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { allocateValues } from "../column-vector.ts";
import { mix32 } from "../hash.ts";
import type { GroupTable } from "./group-table.ts";
import { grow, nextCapacity, tableSize } from "./growable.ts";

/** Largest key range mapped directly (1 MiB of Int32 slots). */
const DIRECT_LIMIT = 1 << 18;

const scratchRange = { lo: 0, hi: 0 };

/**
 * Smallest and largest valid key of rows from..n-1. A function of its own
 * (not inline in `findOrInsert`) so V8 optimizes the loop as a whole rather
 * than entering it by on-stack replacement and deoptimizing on the way out.
 */
function keyRange(v: NumericArray, valid: Uint8Array | null, from: number, n: number): { lo: number; hi: number } {
  let lo = Infinity, hi = -Infinity;
  if (valid === null) {
    for (let i = from; i < n; i++) { const x = v[i]!; if (x < lo) lo = x; if (x > hi) hi = x; }
  } else {
    for (let i = from; i < n; i++) if (valid[i]) { const x = v[i]!; if (x < lo) lo = x; if (x > hi) hi = x; }
  }
  scratchRange.lo = lo;
  scratchRange.hi = hi;
  return scratchRange;
}

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

  /** True while keys map straight to groups (no hashing). */
  get isDirect(): boolean { return this.direct !== null; }

  findOrInsert(keyCols: readonly ColumnVector[], numRows: number, out: Int32Array): void {
    const col = keyCols[0]!;
    const v = col.values, valid = col.validity;
    let i = 0;
    while (this.direct !== null) {
      i = this.insertDirect(v, valid, i, numRows, out);
      if (i === numRows) return;
      // Row i's key is outside the direct map: widen it to cover the rest of the batch, or give up on it.
      const range = keyRange(v, valid, i, numRows);
      if (!this.fitDirect(range.lo, range.hi)) this.toHashMode();
    }
    this.insertHashed(v, valid, i, numRows, out);
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
    // The keys seen so far, not the map's bounds: the map has headroom above its largest key, and counting
    // that headroom as range would push a map that still fits past DIRECT_LIMIT once a smaller key arrives.
    let newBase = lo, newEnd = hi;
    for (let g = 0; g < this.numGroups; g++) {
      if (g === this.nullGroup) continue;
      const k = this.keys[g]!;
      if (k < newBase) newBase = k;
      if (k > newEnd) newEnd = k;
    }
    let span = newEnd - newBase + 1;
    if (span > DIRECT_LIMIT) return false;
    if (newBase === this.base && span <= d.length) return true;
    // Room to grow upwards, so keys that keep rising (sorted input) do not rebuild the map every batch.
    if (d.length > 0) span = Math.min(DIRECT_LIMIT, Math.max(span, d.length * 2));
    const next = new Int32Array(span).fill(-1);
    for (let g = 0; g < this.numGroups; g++) if (g !== this.nullGroup) next[this.keys[g]! - newBase] = g;
    this.direct = next;
    this.base = newBase;
    return true;
  }

  /** Maps rows from `from` on through the direct map; returns the first row whose key is outside it (or n). */
  private insertDirect(v: NumericArray, valid: Uint8Array | null, from: number, n: number, out: Int32Array): number {
    const d = this.direct!, base = this.base, span = d.length;
    for (let i = from; i < n; i++) {
      if (valid !== null && valid[i] === 0) { out[i] = this.nullId(); continue; }
      const x = v[i]!, s = x - base;
      if (!(s >= 0 && s < span)) return i;
      let g = d[s]!;
      if (g < 0) { g = this.addGroup(x); d[s] = g; }
      out[i] = g;
    }
    return n;
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

  private insertHashed(v: NumericArray, valid: Uint8Array | null, from: number, n: number, out: Int32Array): void {
    let slots = this.slots, mask = slots.length - 1;
    for (let i = from; i < n; i++) {
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
