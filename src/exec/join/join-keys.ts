/**
 * Join keys as columns: which rows have a NULL in any key (such rows never
 * match, in every join algorithm), and the order of two key rows, possibly
 * from different sides, used by the sort-merge join. Both sides' keys have
 * the same type (the analyzer casts them), so one comparison per column
 * kind suffices; strings compare by UTF-8 bytes, as everywhere in Cinder.
 */
import type { ColumnVector } from "../column-vector.ts";
import { compareNumbers, compareStrings } from "../compare.ts";

/** 1 where any key column is NULL; null when no key column has NULLs. */
export function keysNullMask(keys: readonly ColumnVector[], numRows: number): Uint8Array | null {
  let out: Uint8Array | null = null;
  for (const k of keys) {
    const v = k.validity;
    if (v === null) continue;
    out ??= new Uint8Array(numRows);
    for (let i = 0; i < numRows; i++) out[i] = out[i]! | (v[i]! ^ 1);
  }
  return out;
}

/** -1, 0 or 1: the order of key row `i` of `a` and key row `j` of `b` (neither may be NULL). */
export function compareKeyRows(a: readonly ColumnVector[], i: number, b: readonly ColumnVector[], j: number): number {
  for (let c = 0; c < a.length; c++) {
    const x = a[c]!, y = b[c]!;
    let r: number;
    if (x.type.kind === "utf8") {
      r = x.dictionary !== undefined && x.dictionary === y.dictionary && x.values[i] === y.values[j] ? 0 : compareStrings(x, i, y, j);
    } else {
      r = compareNumbers(x.values[i]!, y.values[j]!);
    }
    if (r !== 0) return r;
  }
  return 0;
}
