/**
 * The build side of a hash join, held in typed arrays: one 32-bit hash per
 * build row, a power-of-two array of bucket heads and an Int32Array `next`
 * chain (no per-row objects, no Map). Rows whose key has a NULL are left out
 * of the table, because a NULL key never matches in SQL; they still count
 * as build rows, so an outer join emits them as unmatched. Probing is
 * resumable (a `ProbeCursor`), so the caller can cut output into batches of
 * `batch.size` pairs without a generator in the hot loop.
 */
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { hashRows, rowsEqual } from "../hash.ts";
import { keysNullMask } from "./join-keys.ts";

/** Where a probe stopped: the probe row, and the next build row of its chain to test (-2: chain not started). */
export interface ProbeCursor {
  row: number;
  build: number;
}

export function newProbeCursor(): ProbeCursor {
  return { row: 0, build: -2 };
}

export class JoinHashTable {
  readonly numRows: number;
  private readonly keys: readonly ColumnVector[];
  private readonly hashes: Uint32Array;
  private readonly heads: Int32Array;
  private readonly next: Int32Array;
  private readonly mask: number;
  /** Set when there is one non-string key column: equality is then a typed-array compare. */
  private readonly numericKey: NumericArray | null;

  constructor(keys: readonly ColumnVector[], numRows: number) {
    this.numRows = numRows;
    this.keys = keys;
    this.hashes = hashRows(keys, numRows);
    let buckets = 16;
    while (buckets < numRows * 2) buckets *= 2;
    this.mask = buckets - 1;
    const heads = new Int32Array(buckets).fill(-1);
    const next = new Int32Array(numRows);
    const nulls = keysNullMask(keys, numRows);
    const hashes = this.hashes, mask = this.mask;
    // Inserted back to front so each chain lists build rows in ascending order.
    for (let i = numRows - 1; i >= 0; i--) {
      if (nulls !== null && nulls[i] === 1) continue;
      const slot = hashes[i]! & mask;
      next[i] = heads[slot]!;
      heads[slot] = i;
    }
    this.heads = heads;
    this.next = next;
    this.numericKey = keys.length === 1 && keys[0]!.type.kind !== "utf8" ? keys[0]!.values : null;
  }

  /**
   * Writes up to `cap` matching (probe row, build row) pairs into `outProbe`
   * and `outBuild`, continuing from `cursor`; returns how many were written
   * (0 once every probe row is done). `firstOnly` stops at a row's first
   * match (semi/anti joins without a residual condition).
   */
  probe(probeKeys: readonly ColumnVector[], probeHashes: Uint32Array, probeNulls: Uint8Array | null, numProbe: number,
    cursor: ProbeCursor, outProbe: Int32Array, outBuild: Int32Array, cap: number, firstOnly: boolean): number {
    if (this.numericKey !== null && probeKeys[0]!.type.kind !== "utf8") {
      return this.probeNumeric(probeKeys[0]!.values, probeHashes, probeNulls, numProbe, cursor, outProbe, outBuild, cap, firstOnly);
    }
    const heads = this.heads, next = this.next, hashes = this.hashes, mask = this.mask, keys = this.keys;
    let count = 0, p = cursor.row, b = cursor.build;
    while (p < numProbe) {
      if (b === -2) {
        if (probeNulls !== null && probeNulls[p] === 1) { p++; continue; }
        b = heads[probeHashes[p]! & mask]!;
      }
      const h = probeHashes[p]!;
      while (b >= 0) {
        if (hashes[b] === h && rowsEqual(keys, b, probeKeys, p)) {
          if (count === cap) { cursor.row = p; cursor.build = b; return count; }
          outProbe[count] = p; outBuild[count] = b; count++;
          if (firstOnly) break;
        }
        b = next[b]!;
      }
      p++; b = -2;
    }
    cursor.row = p; cursor.build = -2;
    return count;
  }

  private probeNumeric(pv: NumericArray, probeHashes: Uint32Array, probeNulls: Uint8Array | null, numProbe: number,
    cursor: ProbeCursor, outProbe: Int32Array, outBuild: Int32Array, cap: number, firstOnly: boolean): number {
    const heads = this.heads, next = this.next, mask = this.mask, bv = this.numericKey!;
    let count = 0, p = cursor.row, b = cursor.build;
    while (p < numProbe) {
      if (b === -2) {
        if (probeNulls !== null && probeNulls[p] === 1) { p++; continue; }
        b = heads[probeHashes[p]! & mask]!;
      }
      const key = pv[p]!;
      while (b >= 0) {
        if (bv[b] === key) {
          if (count === cap) { cursor.row = p; cursor.build = b; return count; }
          outProbe[count] = p; outBuild[count] = b; count++;
          if (firstOnly) break;
        }
        b = next[b]!;
      }
      p++; b = -2;
    }
    cursor.row = p; cursor.build = -2;
    return count;
  }
}
