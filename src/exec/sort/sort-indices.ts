/**
 * Multi-key stable sort of row indices: the permutation that puts a batch
 * in ORDER BY order. Keys come from `sort-keys.ts` (numbers or string
 * ranks), so the general path is one comparator over typed arrays with the
 * row index as the final tie-break (stable whatever the engine's sort
 * does). A single integer or date key takes a counting/radix path instead,
 * which is linear and needs no comparator calls.
 */
import type { ColumnVector } from "../column-vector.ts";
import type { SortDirection, SortKey } from "./sort-keys.ts";
import { compareNumbers, sortKeyOf } from "./sort-keys.ts";

/** Below this many rows a comparator sort is as fast as setting up buckets. */
const RADIX_MIN_ROWS = 256;

/** The stable ORDER BY permutation of `n` rows of `columns` in directions `dirs`. */
export function sortColumns(columns: readonly ColumnVector[], dirs: readonly SortDirection[], n: number): Int32Array {
  return sortIndices(columns.map((c, k) => sortKeyOf(c, dirs[k]!)), n);
}

/** The stable permutation of `n` rows that orders them by `keys`. */
export function sortIndices(keys: readonly SortKey[], n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n <= 1 || keys.length === 0) return order;
  if (keys.length === 1 && n >= RADIX_MIN_ROWS) {
    const fast = radixSort(keys[0]!, n);
    if (fast) return fast;
  }
  return order.sort(rowComparator(keys));
}

/** Comparator of two row indices by `keys`, ties broken by index (so the sort is stable). */
export function rowComparator(keys: readonly SortKey[]): (i: number, j: number) => number {
  if (keys.length === 1) {
    const { values: v, validity, ascending, nullsFirst, floating } = keys[0]!;
    const sign = ascending ? 1 : -1, nullSign = nullsFirst ? -1 : 1;
    if (validity === null && !floating) {
      return (i, j) => { const a = v[i]!, b = v[j]!; return a < b ? -sign : a > b ? sign : i - j; };
    }
    return (i, j) => {
      if (validity !== null) {
        const vi = validity[i]!, vj = validity[j]!;
        if (vi !== vj) return vi === 0 ? nullSign : -nullSign;
        if (vi === 0) return i - j;
      }
      const a = v[i]!, b = v[j]!;
      if (a < b) return -sign;
      if (a > b) return sign;
      return floating ? compareNumbers(a, b) * sign || i - j : i - j;
    };
  }
  const count = keys.length;
  return (i, j) => {
    for (let k = 0; k < count; k++) {
      const key = keys[k]!;
      const validity = key.validity;
      if (validity !== null) {
        const vi = validity[i]!, vj = validity[j]!;
        if (vi !== vj) return vi === 0 ? (key.nullsFirst ? -1 : 1) : (key.nullsFirst ? 1 : -1);
        if (vi === 0) continue;
      }
      const a = key.values[i]!, b = key.values[j]!;
      if (a === b) continue;
      const c = compareNumbers(a, b);
      if (c !== 0) return key.ascending ? c : -c;
    }
    return i - j;
  };
}

/**
 * Counting sort (small value range) or two-pass LSD radix sort of one
 * integer key; null when the key is not integral or spans more than 2^32.
 * NULL rows keep their input order and go before or after the rest.
 */
function radixSort(key: SortKey, n: number): Int32Array | null {
  const v = key.values, validity = key.validity;
  if (v instanceof Float32Array) return null;
  let min = Infinity, max = -Infinity, valid = 0;
  const checkIntegral = v instanceof Float64Array;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const x = v[i]!;
    if (checkIntegral && !Number.isInteger(x)) return null;
    if (x < min) min = x;
    if (x > max) max = x;
    valid++;
  }
  const nulls = n - valid;
  const out = new Int32Array(n);
  // NULLs first or last, in input order.
  let nullAt = key.nullsFirst ? 0 : valid;
  if (nulls > 0) for (let i = 0; i < n; i++) if (validity![i] === 0) out[nullAt++] = i;
  const base = key.nullsFirst ? nulls : 0;
  if (valid === 0) return out;
  const span = max - min;
  if (span >= 2 ** 32) return null;
  const asc = key.ascending;
  // Bucket key of row i: distance from the smallest (asc) or largest (desc) value.
  const bucketOf = (i: number): number => (asc ? v[i]! - min : max - v[i]!);
  if (span < Math.max(n, 1 << 16)) {
    const counts = new Int32Array(span + 2);
    for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) counts[bucketOf(i) + 1]!++;
    for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
    for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[base + counts[bucketOf(i)]!++] = i;
    return out;
  }
  // Two stable passes over 16-bit digits.
  const digits = new Uint32Array(n);
  const src = new Int32Array(valid);
  let at = 0;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    digits[i] = bucketOf(i);
    src[at++] = i;
  }
  const tmp = new Int32Array(valid);
  const counts = new Int32Array(65537);
  for (let i = 0; i < valid; i++) counts[(digits[src[i]!]! & 0xffff) + 1]!++;
  for (let b = 1; b <= 65536; b++) counts[b]! += counts[b - 1]!;
  for (let i = 0; i < valid; i++) { const r = src[i]!; tmp[counts[digits[r]! & 0xffff]!++] = r; }
  counts.fill(0);
  for (let i = 0; i < valid; i++) counts[(digits[tmp[i]!]! >>> 16) + 1]!++;
  for (let b = 1; b <= 65536; b++) counts[b]! += counts[b - 1]!;
  for (let i = 0; i < valid; i++) { const r = tmp[i]!; out[base + counts[digits[r]! >>> 16]!++] = r; }
  return out;
}
