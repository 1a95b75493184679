/**
 * Row hashing and row equality over columns, shared by hash aggregation,
 * hash join and hash partitioning (so a key hashes the same in a shuffle
 * writer and in the join that reads it). Hashes are 32-bit, computed a
 * column at a time into a Uint32Array; strings hash their UTF-8 bytes, and
 * dictionary columns hash each dictionary entry once.
 */
import type { ColumnVector } from "./column-vector.ts";

const NULL_HASH = 0x9e3779b9 | 0;
const SEED = 0x2545f491;

/** Murmur3's 32-bit finalizer: spreads every input bit over the output. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = SEED ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    h = Math.imul(h ^ Math.imul(k, 0xcc9e2d51), 0x1b873593);
    h = (h << 13) | (h >>> 19);
  }
  for (; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return mix32(h);
}

/** Hash of each row of one column (NULLs share one hash). */
export function hashColumn(col: ColumnVector, out: Uint32Array = new Uint32Array(col.length)): Uint32Array {
  const n = col.length;
  const validity = col.validity;
  if (col.dictionary) {
    const dictHashes = hashColumn(col.dictionary);
    const codes = col.values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = dictHashes[codes[i]!]!;
  } else if (col.type.kind === "utf8") {
    const offsets = col.offsets!, bytes = col.values as Uint8Array;
    for (let i = 0; i < n; i++) out[i] = hashBytes(bytes, offsets[i]!, offsets[i + 1]!);
  } else if (col.values instanceof Float64Array || col.values instanceof Float32Array) {
    const v = col.values;
    const scratch = new Float64Array(1);
    const words = new Uint32Array(scratch.buffer);
    for (let i = 0; i < n; i++) {
      const x = v[i]!;
      // Integral values (int64, decimals, timestamps held as doubles) hash like integers; -0 equals 0.
      if (x === (x | 0)) out[i] = mix32(x | 0);
      else {
        scratch[0] = x === x ? x : NaN;
        out[i] = mix32(words[0]! ^ mix32(words[1]!));
      }
    }
  } else {
    const v = col.values;
    for (let i = 0; i < n; i++) out[i] = mix32(v[i]! | 0);
  }
  if (validity) for (let i = 0; i < n; i++) if (!validity[i]) out[i] = NULL_HASH >>> 0;
  return out;
}

/** Combined hash of each row over several key columns. */
export function hashRows(cols: readonly ColumnVector[], length: number): Uint32Array {
  if (cols.length === 0) return new Uint32Array(length);
  const out = hashColumn(cols[0]!);
  if (cols.length === 1) return out;
  const scratch = new Uint32Array(length);
  for (let c = 1; c < cols.length; c++) {
    hashColumn(cols[c]!, scratch);
    for (let i = 0; i < length; i++) out[i] = mix32((Math.imul(out[i]!, 31) + scratch[i]!) | 0);
  }
  return out;
}

/**
 * True when row `i` of `a` equals row `j` of `b`, column by column, with
 * NULL equal to NULL (grouping semantics; joins drop NULL keys beforehand).
 */
export function rowsEqual(a: readonly ColumnVector[], i: number, b: readonly ColumnVector[], j: number): boolean {
  for (let c = 0; c < a.length; c++) if (!valuesEqual(a[c]!, i, b[c]!, j)) return false;
  return true;
}

export function valuesEqual(x: ColumnVector, i: number, y: ColumnVector, j: number): boolean {
  const xv = x.validity === null || x.validity[i] === 1;
  const yv = y.validity === null || y.validity[j] === 1;
  if (!xv || !yv) return xv === yv;
  if (x.type.kind !== "utf8") {
    const p = x.values[i]!, q = y.values[j]!;
    return p === q || (p !== p && q !== q);
  }
  if (x.dictionary && x.dictionary === y.dictionary) return x.values[i] === y.values[j];
  const [xb, xs, xe] = stringSpan(x, i);
  const [yb, ys, ye] = stringSpan(y, j);
  if (xe - xs !== ye - ys) return false;
  for (let k = 0; k < xe - xs; k++) if (xb[xs + k] !== yb[ys + k]) return false;
  return true;
}

/** The bytes of string row `i`: buffer, start, end. */
export function stringSpan(col: ColumnVector, i: number): [Uint8Array, number, number] {
  if (col.dictionary) return stringSpan(col.dictionary, col.values[i]!);
  const o = col.offsets!;
  return [col.values as Uint8Array, o[i]!, o[i + 1]!];
}
