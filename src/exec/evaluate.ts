/**
 * Vectorized expression evaluation: a bound expression over a batch gives
 * one column, computed a whole column at a time (never row objects). This
 * file dispatches on the expression's `type`; the kernels live beside it,
 * one family a file (arithmetic, comparison, logic, cast, conditional,
 * strings, dates, math).
 */
import type { Expr } from "../plan/expressions.ts";
import { exprToString } from "../plan/expressions.ts";
import { exprType } from "../plan/expression-types.ts";
import { InternalError } from "../common/errors.ts";
import type { Batch, ColumnVector } from "./column-vector.ts";
import { constantVector } from "./constant.ts";
import { arithmetic, negate } from "./arithmetic.ts";
import { compare } from "./compare.ts";
import { and, or, not, isNull } from "./logic.ts";
import { castVector } from "./cast.ts";
import { evaluateCase, evaluateCoalesce, inList } from "./conditional.ts";
import { like } from "./like.ts";
import { callFunction } from "./functions.ts";

export function evaluate(e: Expr, batch: Batch): ColumnVector {
  switch (e.type) {
    case "boundRef": return batch.columns[e.index]!;
    case "literal": return constantVector(e.value, e.dataType, batch.numRows);
    case "alias": return evaluate(e.expr, batch);
    case "cast": return castVector(evaluate(e.expr, batch), e.to);
    case "binary": {
      if (e.op === "and" || e.op === "or") {
        const left = evaluate(e.left, batch), right = evaluate(e.right, batch);
        return e.op === "and" ? and(left, right) : or(left, right);
      }
      const left = evaluate(e.left, batch), right = evaluate(e.right, batch);
      if (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/" || e.op === "%") return arithmetic(e.op, left, right, exprType(e));
      return compare(e.op, left, right);
    }
    case "not": return not(evaluate(e.expr, batch));
    case "negate": return negate(evaluate(e.expr, batch));
    case "isNull": return isNull(evaluate(e.expr, batch), e.negated);
    case "case": return evaluateCase(e, batch, evaluate);
    case "in": return inList(evaluate(e.expr, batch), e.list.map((x) => evaluate(x, batch)), e.negated);
    case "like": return like(evaluate(e.expr, batch), evaluate(e.pattern, batch), e.negated, e.regex);
    case "call":
      if (e.name === "coalesce" && e.args.length > 0) return evaluateCoalesce(e, batch, evaluate);
      return callFunction(e.name, e.args.map((a) => evaluate(a, batch)), exprType(e), batch.numRows);
    default:
      throw new InternalError(`cannot evaluate ${e.type} here: ${exprToString(e)}`);
  }
}

/** Row indices where a boolean column is TRUE (NULL and FALSE drop the row). */
export function selectTrue(mask: ColumnVector): { indices: Int32Array; count: number } {
  const n = mask.length, v = mask.values, valid = mask.validity;
  const indices = new Int32Array(n);
  let count = 0;
  if (valid) {
    for (let i = 0; i < n; i++) { indices[count] = i; count += v[i]! & valid[i]!; }
  } else if (v instanceof Uint8Array) {
    count = selectBytes(v, n, indices);
  } else {
    for (let i = 0; i < n; i++) { indices[count] = i; count += v[i]!; }
  }
  return { indices, count };
}

/**
 * selectTrue over 0/1 bytes, four rows a load where the bytes are 4-aligned:
 * a word of four FALSE rows is skipped with one compare, so a selective
 * filter (most rows dropped) costs a quarter of the row-by-row loop.
 */
function selectBytes(v: Uint8Array, n: number, indices: Int32Array): number {
  let count = 0, i = 0;
  const head = Math.min(n, (4 - (v.byteOffset & 3)) & 3);
  for (; i < head; i++) { indices[count] = i; count += v[i]!; }
  const wordCount = (n - head) >> 2;
  // (With fewer than four rows past the head, `head` may stop short of alignment: no words then.)
  const words = wordCount > 0 ? new Uint32Array(v.buffer, v.byteOffset + head, wordCount) : new Uint32Array(0);
  for (let w = 0; w < wordCount; w++) {
    if (words[w] === 0) continue;
    const base = head + (w << 2);
    indices[count] = base; count += v[base]!;
    indices[count] = base + 1; count += v[base + 1]!;
    indices[count] = base + 2; count += v[base + 2]!;
    indices[count] = base + 3; count += v[base + 3]!;
  }
  for (i = head + (wordCount << 2); i < n; i++) { indices[count] = i; count += v[i]!; }
  return count;
}
