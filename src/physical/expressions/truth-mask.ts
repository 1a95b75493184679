/**
 * Where a filter's predicate is TRUE, as 0/1 bytes: all a filter needs,
 * rather than the three-valued column `evaluate` gives. A conjunction
 * narrows one mask in place, its conjuncts reordered so comparisons with a
 * literal come first (filters have no side effects, and Spark reorders
 * them too). A conjunct comparing non-floating numeric columns with a
 * literal or with each other (Q6's range tests, Q12's date orders) is
 * tested only on rows still TRUE, with no intermediate boolean column or
 * AND pass; once no row is TRUE, the other conjuncts are not evaluated.
 * Floating columns (NaN's order) and every other conjunct go through
 * `evaluate`.
 */
import type { Expr } from "../../plan/expressions.ts";
import type { Batch, ColumnVector, NumericArray } from "../../exec/column-vector.ts";
import { evaluate, literalComparison } from "./evaluate.ts";

type Op = "=" | "!=" | "<" | "<=" | ">" | ">=";

export function truthMask(e: Expr, batch: Batch): Uint8Array {
  if (!(e.type === "binary" && e.op === "and")) return maskOf(evaluate(e, batch));
  const conjuncts: Expr[] = [];
  const flatten = (x: Expr): void => { if (x.type === "binary" && x.op === "and") { flatten(x.left); flatten(x.right); } else conjuncts.push(x); };
  flatten(e);
  const first = conjuncts.filter((c) => literalComparison(c) !== null);
  const ordered = [...first, ...conjuncts.filter((c) => literalComparison(c) === null)];
  const mask = maskOf(evaluate(ordered[0]!, batch));
  for (let k = 1; k < ordered.length; k++) {
    if (mask.indexOf(1) < 0) break;
    narrow(mask, ordered[k]!, batch);
  }
  return mask;
}

/** TRUE rows of a boolean column as a fresh mask (the column may be a batch's own, not to be changed). */
function maskOf(col: ColumnVector): Uint8Array {
  const n = col.length, v = col.values, valid = col.validity;
  if (col.dictionary) {
    const out = new Uint8Array(n), d = col.dictionary.values, dv = col.dictionary.validity;
    for (let i = 0; i < n; i++) { const k = v[i]!; out[i] = (d[k]! ? 1 : 0) & (dv ? dv[k]! : 1) & (valid ? valid[i]! : 1); }
    return out;
  }
  // Boolean kernels give 0/1 bytes: a copy is the mask.
  const out = v instanceof Uint8Array ? v.slice(0, n) : Uint8Array.from(v.subarray(0, n), (x) => (x ? 1 : 0));
  if (valid) for (let i = 0; i < n; i++) out[i] = out[i]! & valid[i]!;
  return out;
}

/** A column usable by the narrowing loops: numeric, not floating, not dictionary-encoded. */
function plainNumbers(col: ColumnVector): boolean {
  const k = col.type.kind;
  return k !== "utf8" && k !== "float64" && k !== "float32" && col.dictionary === undefined;
}

const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">="]);

function narrow(mask: Uint8Array, e: Expr, batch: Batch): void {
  const c = literalComparison(e);
  if (c) {
    const column = evaluate(c.column, batch);
    if (plainNumbers(column)) return narrowByValue(mask, c.op, column.values, c.value, column.validity);
  } else if (e.type === "binary" && COMPARISONS.has(e.op)) {
    const left = evaluate(e.left, batch), right = evaluate(e.right, batch);
    if (plainNumbers(left) && plainNumbers(right)) return narrowByColumns(mask, e.op as Op, left, right);
  }
  const m = maskOf(evaluate(e, batch));
  for (let i = 0; i < mask.length; i++) mask[i] = mask[i]! & m[i]!;
}

/** mask[i] stays 1 only where `a[i] op c` holds and the row is not NULL; rows already 0 are not read. */
function narrowByValue(mask: Uint8Array, op: Op, a: NumericArray, c: number, valid: Uint8Array | null): void {
  const n = mask.length;
  switch (op) {
    case "=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i] === c ? 1 : 0; break;
    case "!=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i] !== c ? 1 : 0; break;
    case "<": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! < c ? 1 : 0; break;
    case "<=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! <= c ? 1 : 0; break;
    case ">": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! > c ? 1 : 0; break;
    case ">=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! >= c ? 1 : 0; break;
  }
  if (valid) for (let i = 0; i < n; i++) mask[i] = mask[i]! & valid[i]!;
}

/** The same for two columns: `a[i] op b[i]`, NULL on either side dropping the row. */
function narrowByColumns(mask: Uint8Array, op: Op, left: ColumnVector, right: ColumnVector): void {
  const n = mask.length, a = left.values, b = right.values;
  switch (op) {
    case "=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i] === b[i] ? 1 : 0; break;
    case "!=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i] !== b[i] ? 1 : 0; break;
    case "<": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! < b[i]! ? 1 : 0; break;
    case "<=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! <= b[i]! ? 1 : 0; break;
    case ">": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! > b[i]! ? 1 : 0; break;
    case ">=": for (let i = 0; i < n; i++) if (mask[i]) mask[i] = a[i]! >= b[i]! ? 1 : 0; break;
  }
  for (const valid of [left.validity, right.validity]) if (valid) for (let i = 0; i < n; i++) mask[i] = mask[i]! & valid[i]!;
}
