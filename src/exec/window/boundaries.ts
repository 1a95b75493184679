/**
 * Group boundaries of a sorted batch, computed once per WindowExec and
 * shared by every window function: where each window partition starts and
 * ends, and where each peer group (rows with equal ORDER BY keys) starts
 * and ends. A boundary is where any key column differs from the previous
 * row; NULL equals NULL here, as it does for grouping.
 */
import type { ColumnVector } from "../column-vector.ts";
import { compareBytes } from "../compare.ts";

/** For each row, the first row of its group and the row after its last (exclusive). */
export interface GroupBounds {
  start: Int32Array;
  end: Int32Array;
}

/**
 * Marks (ORs 1 into `flags`) every row `i > 0` whose value in `col`
 * differs from row `i - 1`. Row 0 is always a start.
 */
export function markChanges(col: ColumnVector, flags: Uint8Array): Uint8Array {
  const n = col.length;
  if (n > 0) flags[0] = 1;
  const valid = col.validity;
  if (valid !== null) for (let i = 1; i < n; i++) if (valid[i] !== valid[i - 1]) flags[i] = 1;
  if (col.type.kind === "null") return flags;
  if (col.type.kind === "utf8") {
    const plain = col.dictionary ?? col;
    const codes = col.dictionary ? (col.values as Int32Array) : null;
    const bytes = plain.values as Uint8Array, offsets = plain.offsets!;
    for (let i = 1; i < n; i++) {
      if (flags[i] === 1 || (valid !== null && valid[i] === 0)) continue;
      let a = i - 1, b = i;
      if (codes !== null) {
        if (codes[a] === codes[b]) continue;
        a = codes[a]!; b = codes[b]!;
      }
      if (compareBytes(bytes, offsets[a]!, offsets[a + 1]!, bytes, offsets[b]!, offsets[b + 1]!) !== 0) flags[i] = 1;
    }
    return flags;
  }
  const v = col.values;
  for (let i = 1; i < n; i++) {
    const a = v[i - 1]!, b = v[i]!;
    // NaN is a peer of NaN, as in DuckDB; NULL rows are peers whatever their stored value.
    if (a !== b && (a === a || b === b) && (valid === null || valid[i] === 1)) flags[i] = 1;
  }
  return flags;
}

/** Group starts of `n` rows over `cols` (all rows one group when there are none). */
export function groupStarts(cols: readonly ColumnVector[], n: number, into: Uint8Array = new Uint8Array(n)): Uint8Array {
  if (n > 0) into[0] = 1;
  for (const c of cols) markChanges(c, into);
  return into;
}

/** Per-row start and end of the group each row belongs to, from group-start flags. */
export function groupBounds(starts: Uint8Array, n: number): GroupBounds {
  const start = new Int32Array(n), end = new Int32Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (starts[i] === 1) s = i;
    start[i] = s;
  }
  let e = n;
  for (let i = n - 1; i >= 0; i--) {
    end[i] = e;
    if (starts[i] === 1) e = i;
  }
  return { start, end };
}
