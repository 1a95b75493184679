/**
 * Per-group string values (for min, max and first over strings): each
 * group's current bytes live in one growing byte arena, addressed by an
 * Int32 start and length per group. Replacing a value appends its new bytes
 * and leaves the old ones as garbage, which is compacted away once it
 * outweighs the live bytes. No per-group JS objects.
 */
import { UTF8 } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { compareBytes } from "../compare.ts";
import { grow, nextCapacity } from "./growable.ts";

export class StringArena {
  private bytes = new Uint8Array(1024);
  private used = 0;
  private live = 0;
  private start = new Int32Array(16);
  private len = new Int32Array(16);

  resize(numGroups: number): void {
    if (numGroups <= this.start.length) return;
    const size = nextCapacity(this.start.length, numGroups);
    this.start = grow(this.start, size);
    this.len = grow(this.len, size);
  }

  /** Order of group g's value against bytes [s, e) of `src`. */
  compare(g: number, src: Uint8Array, s: number, e: number): number {
    const a = this.start[g]!;
    return compareBytes(this.bytes, a, a + this.len[g]!, src, s, e);
  }

  set(g: number, src: Uint8Array, s: number, e: number): void {
    const n = e - s;
    if (this.used + n > this.bytes.length) {
      if (this.used - this.live > this.live) this.compact();
      if (this.used + n > this.bytes.length) this.bytes = grow(this.bytes, nextCapacity(this.bytes.length, this.used + n));
    }
    const at = this.used;
    if (n < 16) for (let k = 0; k < n; k++) this.bytes[at + k] = src[s + k]!;
    else this.bytes.set(src.subarray(s, e), at);
    this.live += n - this.len[g]!;
    this.start[g] = at;
    this.len[g] = n;
    this.used = at + n;
  }

  private compact(): void {
    const out = new Uint8Array(Math.max(1024, this.live * 2));
    let at = 0;
    for (let g = 0; g < this.start.length; g++) {
      const n = this.len[g]!;
      if (n === 0) continue;
      out.set(this.bytes.subarray(this.start[g]!, this.start[g]! + n), at);
      this.start[g] = at;
      at += n;
    }
    this.bytes = out;
    this.used = at;
  }

  /** A utf8 vector of groups 0..numGroups-1; `validity` marks groups that hold a value. */
  toVector(numGroups: number, validity: Uint8Array | null): ColumnVector {
    const offsets = new Int32Array(numGroups + 1);
    let total = 0;
    for (let g = 0; g < numGroups; g++) { total += this.len[g]!; offsets[g + 1] = total; }
    const values = new Uint8Array(total);
    for (let g = 0; g < numGroups; g++) {
      const n = this.len[g]!;
      if (n > 0) values.set(this.bytes.subarray(this.start[g]!, this.start[g]! + n), offsets[g]!);
    }
    return { type: UTF8, length: numGroups, values, offsets, validity };
  }
}

/** Direct access to a utf8 column's bytes: row i spans offsets[idx], offsets[idx + 1] with idx = codes ? codes[i] : i. */
export interface StringParts {
  bytes: Uint8Array;
  offsets: Int32Array;
  codes: Int32Array | null;
  /** Validity of dictionary entries (a NULL entry is a NULL row). */
  entryValidity: Uint8Array | null;
}

export function stringParts(col: ColumnVector): StringParts {
  if (col.dictionary) {
    const d = col.dictionary;
    return { bytes: d.values as Uint8Array, offsets: d.offsets!, codes: col.values as Int32Array, entryValidity: d.validity };
  }
  return { bytes: col.values as Uint8Array, offsets: col.offsets!, codes: null, entryValidity: null };
}
