/**
 * Turns a column into a sort key: one comparable number per row plus the
 * row's validity and the ORDER BY direction. Numbers, dates, decimals and
 * timestamps compare by their stored value; strings compare by UTF-8 bytes,
 * so a string column is replaced by the dense rank of each value (a
 * dictionary column ranks its dictionary once and maps the codes). After
 * this step every comparator in the sort, top-N, range-partitioning and
 * window code compares plain numbers.
 */
import type { ColumnVector, NumericArray } from "../column-vector.ts";
import { stringRanks } from "./string-ranks.ts";

export interface SortDirection {
  ascending: boolean;
  nullsFirst: boolean;
}

export interface SortKey extends SortDirection {
  /** Comparable value of each row (meaningless where the row is NULL). */
  values: NumericArray;
  /** 1 = valid, 0 = NULL; null when every row is valid. */
  validity: Uint8Array | null;
  /** Floats may hold NaN, which sorts after every number (as in DuckDB and Spark). */
  floating: boolean;
}

/** The sort key of `col` in direction `dir`. */
export function sortKeyOf(col: ColumnVector, dir: SortDirection): SortKey {
  const base = { ascending: dir.ascending, nullsFirst: dir.nullsFirst, validity: col.validity };
  if (col.type.kind === "null") return { ...base, values: new Uint8Array(col.length), validity: new Uint8Array(col.length), floating: false };
  if (col.type.kind === "utf8") {
    if (col.dictionary) {
      const dictRanks = stringRanks(col.dictionary);
      const codes = col.values as Int32Array;
      const ranks = new Int32Array(col.length);
      for (let i = 0; i < col.length; i++) ranks[i] = dictRanks[codes[i]!]!;
      return { ...base, values: ranks, floating: false };
    }
    return { ...base, values: stringRanks(col), floating: false };
  }
  const floating = col.values instanceof Float64Array || col.values instanceof Float32Array;
  return { ...base, values: col.values, floating };
}

/** Ascending order of two non-NULL key values, NaN last and equal to itself. */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a, bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

/**
 * Order of row `i` of key `a` against row `j` of key `b` (same direction),
 * with the direction and NULL placement applied: negative when `i` goes first.
 */
export function compareKeyRows(a: SortKey, i: number, b: SortKey, j: number): number {
  const vi = a.validity === null || a.validity[i] === 1;
  const vj = b.validity === null || b.validity[j] === 1;
  if (!vi || !vj) {
    if (vi === vj) return 0;
    return vi === a.nullsFirst ? 1 : -1;
  }
  const c = compareNumbers(a.values[i]!, b.values[j]!);
  return a.ascending ? c : -c;
}
