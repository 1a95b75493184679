/**
 * The group table for one string key. Key bytes are copied into the
 * table's own growing byte arena, so groups outlive the input batches. A
 * dictionary-encoded column is looked up once per dictionary entry actually
 * used (a code -> group map kept while consecutive batches share the
 * dictionary), after which each row costs one array read.
 */
import { UTF8 } from "../../types/data-types.ts";
import type { ColumnVector } from "../column-vector.ts";
import { hashColumn } from "../hash.ts";
import type { GroupTable } from "./group-table.ts";
import { grow, nextCapacity } from "./growable.ts";

export class StringKeyTable implements GroupTable {
  numGroups = 0;
  private bytes = new Uint8Array(1024);
  /** Group g's key is bytes[offsets[g], offsets[g + 1]). */
  private offsets = new Int32Array(17);
  private hashes = new Uint32Array(16);
  private slots = new Int32Array(64);
  private nullGroup = -1;
  private lastDictionary: ColumnVector | null = null;
  private codeToGroup = new Int32Array(0);
  private dictHashes: Uint32Array = new Uint32Array(0);

  findOrInsert(keyCols: readonly ColumnVector[], numRows: number, out: Int32Array): void {
    const col = keyCols[0]!;
    const valid = col.validity;
    if (col.dictionary) {
      const dict = col.dictionary;
      if (dict !== this.lastDictionary) {
        this.lastDictionary = dict;
        this.codeToGroup = new Int32Array(dict.length).fill(-1);
        this.dictHashes = hashColumn(dict);
      }
      const map = this.codeToGroup, dh = this.dictHashes, codes = col.values as Int32Array;
      const db = dict.values as Uint8Array, doff = dict.offsets!, dvalid = dict.validity;
      for (let i = 0; i < numRows; i++) {
        if (valid !== null && valid[i] === 0) { out[i] = this.nullId(); continue; }
        const c = codes[i]!;
        let g = map[c]!;
        if (g < 0) {
          g = dvalid !== null && dvalid[c] === 0 ? this.nullId() : this.find(db, doff[c]!, doff[c + 1]!, dh[c]!);
          map[c] = g;
        }
        out[i] = g;
      }
      return;
    }
    const hashes = hashColumn(col);
    const src = col.values as Uint8Array, offs = col.offsets!;
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] === 0) { out[i] = this.nullId(); continue; }
      out[i] = this.find(src, offs[i]!, offs[i + 1]!, hashes[i]!);
    }
  }

  private find(src: Uint8Array, start: number, end: number, h: number): number {
    if (this.numGroups * 2 >= this.slots.length) this.rehash(this.slots.length * 2);
    const slots = this.slots, mask = slots.length - 1, offsets = this.offsets, bytes = this.bytes, hashes = this.hashes;
    const len = end - start;
    let p = h & mask;
    for (;;) {
      const e = slots[p]!;
      if (e === 0) {
        const g = this.addGroup(src, start, end, h);
        slots[p] = g + 1;
        return g;
      }
      const g = e - 1;
      if (hashes[g] === h) {
        const s = offsets[g]!;
        if (offsets[g + 1]! - s === len) {
          let k = 0;
          while (k < len && bytes[s + k] === src[start + k]) k++;
          if (k === len) return g;
        }
      }
      p = (p + 1) & mask;
    }
  }

  private addGroup(src: Uint8Array, start: number, end: number, h: number): number {
    const g = this.numGroups;
    if (g + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.offsets.length * 2);
    if (g >= this.hashes.length) this.hashes = grow(this.hashes, this.hashes.length * 2);
    const at = this.offsets[g]!, len = end - start;
    if (at + len > this.bytes.length) this.bytes = grow(this.bytes, nextCapacity(this.bytes.length, at + len));
    if (len < 16) for (let k = 0; k < len; k++) this.bytes[at + k] = src[start + k]!;
    else this.bytes.set(src.subarray(start, end), at);
    this.offsets[g + 1] = at + len;
    this.hashes[g] = h;
    this.numGroups = g + 1;
    return g;
  }

  private nullId(): number {
    if (this.nullGroup < 0) this.nullGroup = this.addGroup(this.bytes, 0, 0, 0);
    return this.nullGroup;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size), mask = size - 1;
    for (let g = 0; g < this.numGroups; g++) {
      if (g === this.nullGroup) continue;
      let p = this.hashes[g]! & mask;
      while (slots[p] !== 0) p = (p + 1) & mask;
      slots[p] = g + 1;
    }
    this.slots = slots;
  }

  keyColumns(): ColumnVector[] {
    const n = this.numGroups;
    let validity: Uint8Array | null = null;
    if (this.nullGroup >= 0) {
      validity = new Uint8Array(n).fill(1);
      validity[this.nullGroup] = 0;
    }
    const offsets = this.offsets.slice(0, n + 1);
    return [{ type: UTF8, length: n, values: this.bytes.slice(0, offsets[n]!), offsets, validity }];
  }
}
