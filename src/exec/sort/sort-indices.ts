/**
 * Multi-key stable sort of row indices: the permutation that puts a batch
 * in ORDER BY order. Keys come from `sort-keys.ts` (numbers or string
 * ranks). Large inputs are sorted by stable counting/radix passes, one per
 * key from the last to the first (`radix.ts`), which is linear and makes no
 * comparator calls; small inputs (and top-N candidate sets) use one
 * comparator over typed arrays with the row index as the final tie-break.
 */
import type { ColumnVector } from "../column-vector.ts";
import type { SortDirection, SortKey } from "./sort-keys.ts";
import { compareNumbers, sortKeyOf } from "./sort-keys.ts";
import { digitsOf, stablePass } from "./radix.ts";

/** Below this many rows a comparator sort is as fast as setting up radix buckets. */
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
  if (n < RADIX_MIN_ROWS) return order.sort(rowComparator(keys));
  // Least significant key first; each pass is stable, so earlier keys decide and ties keep input order.
  let sorted: Int32Array = order;
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k]!;
    sorted = stablePass(sorted, digitsOf(key, n), key.validity, key.nullsFirst);
  }
  return sorted;
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
