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
import { compare } from "../../exec/compare.ts";
import { and, or, not, isNull } from "../../exec/logic.ts";
import { castVector } from "../../exec/cast.ts";
import { inList } from "../../exec/conditional.ts";
import { evaluateCase, evaluateCoalesce } from "./guarded-conditional.ts";
import { like } from "../../exec/like.ts";
import { callFunction } from "../../exec/functions.ts";

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
