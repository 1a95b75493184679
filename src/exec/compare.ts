/**
 * Comparison kernels (=, !=, <, <=, >, >=, and null-safe <=>). Both sides
 * have one type (the analyzer casts them). Strings compare by UTF-8 bytes,
 * which orders them by code point as DuckDB and Spark do; a dictionary
 * column compared with a constant is compared once per dictionary entry.
 */
import { BOOLEAN } from "../types/data-types.ts";
import type { ComparisonOp } from "../types/operations.ts";
import type { ColumnVector } from "./column-vector.ts";
import { mergeValidity } from "./validity.ts";
import { stringSpan } from "./hash.ts";

/** -1, 0 or 1: byte-wise order of two UTF-8 strings. */
export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as, lb = be - bs;
  const n = la < lb ? la : lb;
  for (let k = 0; k < n; k++) {
    const x = a[as + k]!, y = b[bs + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/** Order of string rows `i` of `a` and `j` of `b`. */
export function compareStrings(a: ColumnVector, i: number, b: ColumnVector, j: number): number {
  const [ab, as, ae] = stringSpan(a, i);
  const [bb, bs, be] = stringSpan(b, j);
  return compareBytes(ab, as, ae, bb, bs, be);
}

/**
 * Spark's (and DuckDB's) order of numbers: NaN is above every other value
 * and equal to itself, so `NaN = NaN` is true, and joins, sorts and
 * comparisons agree on where NaN goes.
 */
export function compareNumbers(p: number, q: number): number {
  return p < q ? -1 : p > q ? 1 : p === q ? 0 : p !== p ? (q !== q ? 0 : 1) : -1;
}

function isFloating(col: ColumnVector): boolean {
  return col.type.kind === "float64" || col.type.kind === "float32";
}

function isConstant(col: ColumnVector): boolean {
  return col.dictionary !== undefined && col.dictionary.length === 1 && col.validity === null;
}

export function compare(op: ComparisonOp, left: ColumnVector, right: ColumnVector): ColumnVector {
  const n = left.length;
  const out = new Uint8Array(n);
  if (op === "<=>") return nullSafeEquals(left, right);
  const validity = mergeValidity([left, right], n);
  if (left.type.kind === "utf8") {
    if (left.dictionary && isConstant(right)) {
      // Evaluate once per dictionary entry, then map codes.
      const dict = left.dictionary;
      const perEntry = compare(op, dict, { ...right, length: dict.length, values: new Int32Array(dict.length) });
      const codes = left.values, pv = perEntry.values;
      for (let i = 0; i < n; i++) out[i] = pv[codes[i]!]!;
      return { type: BOOLEAN, length: n, values: out, validity };
    }
    if (!left.dictionary && isConstant(right)) compareUtf8WithConstant(op, left, right.dictionary!, out);
    else if (!left.dictionary && !right.dictionary) compareUtf8Plain(op, left, right, out);
    else for (let i = 0; i < n; i++) out[i] = test(op, compareStrings(left, i, right, i));
    return { type: BOOLEAN, length: n, values: out, validity };
  }
  const a = left.values, b = right.values;
  switch (op) {
    case "=": for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0; break;
    case "!=": for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0; break;
    case "<": for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? 1 : 0; break;
    case "<=": for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i]! ? 1 : 0; break;
    case ">": for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? 1 : 0; break;
    case ">=": for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i]! ? 1 : 0; break;
  }
  // JS comparisons are all false with a NaN; only floating columns can hold one, and only those rows are redone.
  if (isFloating(left) || isFloating(right)) {
    for (let i = 0; i < n; i++) {
      const p = a[i]!, q = b[i]!;
      if (p !== p || q !== q) out[i] = test(op, compareNumbers(p, q));
    }
  }
  return { type: BOOLEAN, length: n, values: out, validity };
}

/**
 * A numeric column against one number (`l_discount >= 0.05`, the hot case
 * of filters): no constant column is built and the loop reads one array.
 * `c` is already in the column's representation (unscaled for decimals,
 * days for dates). NaN follows compareNumbers, as in `compare`.
 */
export function compareWithScalar(op: Exclude<ComparisonOp, "<=>">, left: ColumnVector, c: number): ColumnVector {
  const n = left.length, a = left.values, out = new Uint8Array(n);
  switch (op) {
    case "=": for (let i = 0; i < n; i++) out[i] = a[i] === c ? 1 : 0; break;
    case "!=": for (let i = 0; i < n; i++) out[i] = a[i] !== c ? 1 : 0; break;
    case "<": for (let i = 0; i < n; i++) out[i] = a[i]! < c ? 1 : 0; break;
    case "<=": for (let i = 0; i < n; i++) out[i] = a[i]! <= c ? 1 : 0; break;
    case ">": for (let i = 0; i < n; i++) out[i] = a[i]! > c ? 1 : 0; break;
    case ">=": for (let i = 0; i < n; i++) out[i] = a[i]! >= c ? 1 : 0; break;
  }
  if (isFloating(left) || c !== c) {
    for (let i = 0; i < n; i++) { const p = a[i]!; if (p !== p || c !== c) out[i] = test(op, compareNumbers(p, c)); }
  }
  return { type: BOOLEAN, length: n, values: out, validity: left.validity };
}

/**
 * A plain string column against one constant: the hot case of filters
 * (`l_shipinstruct = 'DELIVER IN PERSON'`). Reads offsets and bytes
 * directly, with no per-row span objects, and (in)equality tests lengths
 * before bytes.
 */
function compareUtf8WithConstant(op: ComparisonOp, left: ColumnVector, constant: ColumnVector, out: Uint8Array): void {
  const bytes = left.values as Uint8Array, offsets = left.offsets!, n = left.length;
  const cb = constant.values as Uint8Array, cs = constant.offsets![0]!, ce = constant.offsets![1]!, len = ce - cs;
  if (op === "=" || op === "!=") {
    const hit = op === "=" ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const s = offsets[i]!;
      let same = offsets[i + 1]! - s === len;
      for (let k = 0; same && k < len; k++) same = bytes[s + k] === cb[cs + k];
      out[i] = same ? hit : 1 - hit;
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = test(op, compareBytes(bytes, offsets[i]!, offsets[i + 1]!, cb, cs, ce));
}

/** Two plain string columns, row by row, without per-row span objects. */
function compareUtf8Plain(op: ComparisonOp, left: ColumnVector, right: ColumnVector, out: Uint8Array): void {
  const ab = left.values as Uint8Array, ao = left.offsets!, bb = right.values as Uint8Array, bo = right.offsets!;
  for (let i = 0; i < left.length; i++) out[i] = test(op, compareBytes(ab, ao[i]!, ao[i + 1]!, bb, bo[i]!, bo[i + 1]!));
}

function test(op: ComparisonOp, c: number): number {
  switch (op) {
    case "=": return c === 0 ? 1 : 0;
    case "!=": return c !== 0 ? 1 : 0;
    case "<": return c < 0 ? 1 : 0;
    case "<=": return c <= 0 ? 1 : 0;
    case ">": return c > 0 ? 1 : 0;
    case ">=": return c >= 0 ? 1 : 0;
    default: return 0;
  }
}

/** `a <=> b`: TRUE when both are NULL or both equal; never NULL. */
function nullSafeEquals(left: ColumnVector, right: ColumnVector): ColumnVector {
  const n = left.length;
  const eq = compare("=", left, right);
  const out = new Uint8Array(n);
  const va = left.validity, vb = right.validity;
  for (let i = 0; i < n; i++) {
    const pa = va ? va[i]! : 1, pb = vb ? vb[i]! : 1;
    out[i] = pa & pb ? eq.values[i]! : pa === pb ? 1 : 0;
  }
  return { type: BOOLEAN, length: n, values: out, validity: null };
}
