/**
 * Where a filter's predicate is TRUE, as 0/1 bytes: all a filter needs,
 * rather than the three-valued column `evaluate` gives. A conjunction
 * narrows one mask in place: a conjunct comparing a non-floating column
 * with a literal (Q6's five range tests) is tested only on rows still
 * TRUE, so a selective first test makes the rest cheap, and no
 * intermediate boolean columns or AND pass are built. Floating columns
 * (NaN's order) and every other conjunct go through `evaluate`.
 */
import type { Expr } from "../../plan/expressions.ts";
import type { Batch, ColumnVector, NumericArray } from "../../exec/column-vector.ts";
import { evaluate, literalComparison } from "./evaluate.ts";
import type { LiteralComparison } from "./evaluate.ts";

export function truthMask(e: Expr, batch: Batch): Uint8Array {
  if (e.type === "binary" && e.op === "and") {
    const mask = truthMask(e.left, batch);
    narrow(mask, e.right, batch);
    return mask;
  }
  return maskOf(evaluate(e, batch));
}

/** TRUE rows of a boolean column as a fresh mask (the column may be a batch's own, not to be changed). */
function maskOf(col: ColumnVector): Uint8Array {
  const n = col.length, v = col.values, valid = col.validity, out = new Uint8Array(n);
  if (col.dictionary) {
    const d = col.dictionary.values, dv = col.dictionary.validity;
    for (let i = 0; i < n; i++) { const k = v[i]!; out[i] = (d[k]! ? 1 : 0) & (dv ? dv[k]! : 1) & (valid ? valid[i]! : 1); }
    return out;
  }
  if (valid) for (let i = 0; i < n; i++) out[i] = (v[i]! ? 1 : 0) & valid[i]!;
  else for (let i = 0; i < n; i++) out[i] = v[i]! ? 1 : 0;
  return out;
}

function narrow(mask: Uint8Array, e: Expr, batch: Batch): void {
  if (e.type === "binary" && e.op === "and") { narrow(mask, e.left, batch); narrow(mask, e.right, batch); return; }
  const c = literalComparison(e);
  if (c) {
    const column = evaluate(c.column, batch);
    const k = column.type.kind;
    if (k !== "utf8" && k !== "float64" && k !== "float32" && column.dictionary === undefined) return narrowByLiteral(mask, c, column.values, column.validity);
  }
  const m = truthMask(e, batch);
  for (let i = 0; i < mask.length; i++) mask[i] = mask[i]! & m[i]!;
}

/** mask[i] stays 1 only where `values[i] op value` holds and the row is not NULL; rows already 0 are not read. */
function narrowByLiteral(mask: Uint8Array, { op, value: c }: LiteralComparison, a: NumericArray, valid: Uint8Array | null): void {
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
