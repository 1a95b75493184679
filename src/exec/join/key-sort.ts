/**
 * The sort the sort-merge join needs, and only that: row indices of one
 * side, without the rows whose key has a NULL (they never match), ordered
 * by the key columns. Kept here rather than shared with the general sort
 * kernel so the join does not depend on ORDER BY's options (direction,
 * NULL placement, collation); a single numeric key, the common case, is
 * sorted by a typed comparator over its values array.
 */
import type { ColumnVector } from "../column-vector.ts";
import { compareKeyRows, keysNullMask } from "./join-keys.ts";

/** Indices of the rows with non-NULL keys, ascending by key (ties by row index, so the order is stable). */
export function sortRowsByKeys(keys: readonly ColumnVector[], numRows: number): Int32Array {
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
    return rows.sort((a, b) => {
      const x = v[a]!, y = v[b]!;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  }
  return rows.sort((a, b) => compareKeyRows(keys, a, keys, b) || a - b);
}
