/**
 * The sort the sort-merge join needs, and only that: row indices of one
 * side, without the rows whose key has a NULL (they never match), ordered
 * by the key columns. Kept here rather than shared with the general sort
 * kernel so the join does not depend on ORDER BY's options (direction,
 * NULL placement, collation). A single integer key (or integral doubles:
 * int64, dates, decimals) spanning under 2^32 values, the common case, is
 * radix sorted; other single numeric keys by a typed comparator.
 */
import type { ColumnVector } from "../column-vector.ts";
import { compareKeyRows, keysNullMask } from "./join-keys.ts";
import { compareNumbers } from "../compare.ts";
import type { WasmKernels } from "../../../wasm/kernels.ts";
import { wasmKernels } from "../../../wasm/kernels.ts";

/**
 * Indices of the rows with non-NULL keys, ascending by key (ties by row index, so the order is stable),
 * with the single numeric key's values in that order when the radix sort had them anyway (null
 * otherwise): the merge then reads them in sequence instead of gathering `values[row]`.
 */
export function sortRowsByKeys(keys: readonly ColumnVector[], numRows: number): { rows: Int32Array; values: Float64Array | null } {
  const nulls = keysNullMask(keys, numRows);
  let rows: Int32Array;
  if (nulls === null) {
    rows = new Int32Array(numRows);
    for (let i = 0; i < numRows; i++) rows[i] = i;
  } else {
    let n = 0;
    for (let i = 0; i < numRows; i++) n += nulls[i]! ^ 1;
    rows = new Int32Array(n);
    for (let i = 0, k = 0; i < numRows; i++) if (nulls[i] === 0) rows[k++] = i;
  }
  if (keys.length === 1 && keys[0]!.type.kind !== "utf8") {
    const v = keys[0]!.values;
    const sorted = radixSortRows(v, rows);
    if (sorted) return sorted;
    return { rows: rows.sort((a, b) => compareNumbers(v[a]!, v[b]!) || a - b), values: null };
  }
  return { rows: rows.sort((a, b) => compareKeyRows(keys, a, keys, b) || a - b), values: null };
}

/** Bits per radix digit: 2048 counters stay in L1 cache, and a 200K-value key range takes two passes. */
const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * `rows` (ascending row indices) ordered by `values[row]`, with those values
 * in that order, by an LSD radix sort of `value - min` carried along with
 * the row index, so ties keep their row order (stable); null when the
 * values are not integers or span 2^32 or more. The comparator sort it replaces called back into JS about
 * 18 times per row for 250K rows (about 100 ms a reduce task); this is a
 * few linear passes over typed arrays, run by the WebAssembly kernel
 * (wasm/kernels.ts) where it runs: `kernels` null keeps to these loops.
 */
export function radixSortRows(values: ColumnVector["values"], rows: Int32Array, kernels: WasmKernels | null = wasmKernels()): { rows: Int32Array; values: Float64Array } | null {
  const n = rows.length;
  if (n < 2) return { rows, values: Float64Array.from(rows, (r) => values[r]!) };
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = values[rows[i]!]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!(hi - lo < 2 ** 32)) return null;
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[rows[i]!]!;
    // A fractional (or NaN) value has no place in an integer radix sort; between integers the difference is exact.
    if (x !== Math.floor(x)) return null;
    keys[i] = x - lo;
  }
  let passes = 0, width = 0;
  for (let shift = 0; shift < 32 && (hi - lo) / 2 ** shift >= 1; shift += DIGIT_BITS) passes++;
  while (width < 32 && (hi - lo) / 2 ** width >= 1) width++;
  // The sorted keys, back as values: key + min, in sequence.
  const withValues = (order: Int32Array, sortedKeys: Uint32Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = sortedKeys[i]! + lo;
    return { rows: order, values: out };
  };
  if (passes === 0) return withValues(rows, keys);
  // The kernel spreads the key's bits evenly over the passes: 9-bit digits for a 200K range scatter to a
  // quarter of the buckets 11-bit ones would, in the same two passes (10 instead of 12 ms for 500K rows).
  const sorted = kernels?.radixSort(keys, rows, passes, Math.ceil(width / passes));
  if (sorted) return withValues(sorted.order, sorted.keys);
  let order = Int32Array.from(rows);
  let keysOut = new Uint32Array(n), orderOut = new Int32Array(n);
  const counts = new Int32Array(DIGIT_MASK + 1);
  for (let shift = 0; shift < DIGIT_BITS * passes; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & DIGIT_MASK]!++;
    let sum = 0;
    for (let d = 0; d <= DIGIT_MASK; d++) { const c = counts[d]!; counts[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) {
      const k = keys[i]!, at = counts[(k >>> shift) & DIGIT_MASK]!++;
      keysOut[at] = k;
      orderOut[at] = order[i]!;
    }
    [keys, keysOut] = [keysOut, keys];
    [order, orderOut] = [orderOut, order];
  }
  return withValues(order, keys);
}
