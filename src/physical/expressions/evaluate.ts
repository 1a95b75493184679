/**
 * Vectorized expression evaluation: a bound expression over a batch gives
 * one column, computed a whole column at a time (never row objects). This
 * file walks the expression tree and dispatches on each node's `type`; the
 * kernels are in src/exec/, one family a file (arithmetic, comparison,
 * logic, cast, conditional, strings, dates, math), and know no expressions.
 */
import type { Expr } from "../../plan/expressions.ts";
import { exprToString } from "../../plan/expressions.ts";
import { exprType } from "../../plan/expression-types.ts";
import { InternalError } from "../../common/errors.ts";
import type { Batch, ColumnVector } from "../../exec/column-vector.ts";
import { constantVector } from "../../exec/constant.ts";
import { arithmetic, negate } from "../../exec/arithmetic.ts";
import { compare, compareWithScalar } from "../../exec/compare.ts";
import { and, or, not, isNull } from "../../exec/logic.ts";
import { castVector } from "../../exec/cast.ts";
import { inList } from "../../exec/conditional.ts";
import { evaluateCase, evaluateCoalesce } from "./guarded-conditional.ts";
import { like } from "../../exec/like.ts";
import { callFunction } from "../../exec/functions.ts";

const FLIPPED = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const;

/** `column op literal` with the literal a non-NULL number (or boolean, date, decimal) on either side, turned so the column is on the left. */
export interface LiteralComparison {
  op: keyof typeof FLIPPED;
  column: Expr;
  literal: Extract<Expr, { type: "literal" }>;
  /** The literal in its column's representation (unscaled decimal, days since the epoch, 0/1). */
  value: number;
}

export function literalComparison(e: Expr): LiteralComparison | null {
  if (e.type !== "binary" || !(e.op in FLIPPED)) return null;
  const op = e.op as keyof typeof FLIPPED;
  const literalRight = e.right.type === "literal";
  const literal = literalRight ? e.right : e.left.type === "literal" ? e.left : null;
  if (!literal || literal.type !== "literal" || literal.value === null || typeof literal.value === "string") return null;
  if (literal.dataType.kind === "utf8" || literal.dataType.kind === "null") return null;
  const value = typeof literal.value === "boolean" ? (literal.value ? 1 : 0) : Number(literal.value);
  return { op: literalRight ? op : FLIPPED[op], column: literalRight ? e.left : e.right, literal, value };
}

/**
 * A column compared with a literal, against the number itself (compareWithScalar) rather than a
 * column of copies of it; strings and dictionary columns take `compare`'s per-entry path.
 */
function scalarComparison(c: LiteralComparison, batch: Batch): ColumnVector {
  const column = evaluate(c.column, batch);
  if (column.type.kind === "utf8" || column.dictionary !== undefined) return compare(c.op, column, constantVector(c.literal.value, c.literal.dataType, batch.numRows));
  return compareWithScalar(c.op, column, c.value);
}

export function evaluate(e: Expr, batch: Batch): ColumnVector {
  switch (e.type) {
    case "boundRef": return batch.columns[e.index]!;
    case "literal": return constantVector(e.value, e.dataType, batch.numRows);
    case "alias": return evaluate(e.expr, batch);
    case "cast": return castVector(evaluate(e.expr, batch), e.to, e.onError);
    case "binary": {
      if (e.op === "and" || e.op === "or") {
        const left = evaluate(e.left, batch), right = evaluate(e.right, batch);
        return e.op === "and" ? and(left, right) : or(left, right);
      }
      const withLiteral = literalComparison(e);
      if (withLiteral) return scalarComparison(withLiteral, batch);
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
