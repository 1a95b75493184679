/**
 * Constant folding and boolean simplification. A subtree that reads no
 * column (`CAST(1 AS int64)`, `1 + 2`, `upper('a')`) is evaluated once at
 * plan time into a literal; `x AND true` becomes `x`, `x OR true` becomes
 * `true`, `NOT NOT x` becomes `x`; a Filter on literal TRUE disappears and
 * one on FALSE or NULL becomes an empty relation. A subtree whose
 * evaluation throws (an invalid cast, an overflow, a kernel not written
 * yet) is left as it is, so the error still happens at run time, for the
 * rows that meet it, exactly as without this rule.
 */
import type { Expr } from "../plan/expressions.ts";
import type { LiteralValue } from "../types/operations.ts";
import { exprChildren, mapChildren } from "../plan/expressions.ts";
import { exprType } from "../plan/expression-types.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { outputSchema } from "../plan/logical-plan.ts";
import type { DataType } from "../types/data-types.ts";
import { BOOLEAN } from "../types/data-types.ts";
// The optimizer folds constants with the same vectorized evaluator the
// operators use (on a one-row batch with no columns), so a folded value can
// never differ from the value the query would have computed. This is the
// one import from src/exec/ in the optimizer, allowed for that reason.
import { evaluate } from "../physical/expressions/evaluate.ts";
import { stringAt } from "../exec/column-vector.ts";
import type { ColumnVector } from "../exec/column-vector.ts";
import type { OptimizerRule } from "./rule.ts";
import { emptyRelation, isDeterministic, mapNodeExpressions } from "./plan-util.ts";

const ONE_ROW = { columns: [], numRows: 1 };

export const constantFolding: OptimizerRule = {
  name: "constant_folding",
  rewrite(plan: LogicalPlan): LogicalPlan {
    const p = mapNodeExpressions(plan, simplify);
    if (p.type === "Filter" && p.condition.type === "literal") {
      return p.condition.value === true ? p.input : emptyRelation(outputSchema(p));
    }
    if (p.type === "Join" && p.condition?.type === "literal" && p.condition.value === true) {
      // ON TRUE pairs every row, which is what a join without condition does.
      return { ...p, condition: null };
    }
    return p;
  },
};

/** Folds and simplifies an expression bottom-up; returns `e` itself when nothing changed. */
export function simplify(e: Expr): Expr {
  const x = mapChildren(e, simplify);
  // NULL casts to NULL of any type, whether or not the cast kernel knows the pair.
  if (x.type === "cast" && x.expr.type === "literal" && x.expr.value === null) return { type: "literal", value: null, dataType: x.to };
  if (x.type !== "literal" && x.type !== "alias" && isFoldable(x)) {
    const folded = fold(x);
    if (folded) return folded;
  }
  return simplifyBoolean(x);
}

/** True when `e` reads nothing but literals and can be evaluated without a row. */
function isFoldable(e: Expr): boolean {
  switch (e.type) {
    case "literal": return true;
    case "column": case "boundRef": case "aggregate": case "window": case "star": case "alias":
    case "scalarSubquery": case "exists": case "inSubquery": case "outerRef":
      return false;
    case "call": return isDeterministic(e) && e.args.every(isFoldable);
    default: return exprChildren(e).every(isFoldable);
  }
}

function fold(e: Expr): Expr | null {
  let type: DataType, vector: ColumnVector;
  try {
    type = exprType(e);
    vector = evaluate(e, ONE_ROW);
  } catch {
    return null; // keep the subtree: its error (or missing kernel) belongs to run time
  }
  return { type: "literal", value: valueOf(vector, type), dataType: type };
}

/** The single value of a one-row vector, in a literal's in-memory form (see expressions.ts). */
function valueOf(v: ColumnVector, type: DataType): LiteralValue {
  if (type.kind === "null" || (v.validity !== null && v.validity[0] === 0)) return null;
  if (type.kind === "utf8") return stringAt(v, 0);
  if (type.kind === "boolean") return v.values[0] === 1;
  return Number(v.values[0]);
}

const TRUE: Expr = { type: "literal", value: true, dataType: BOOLEAN };
const FALSE: Expr = { type: "literal", value: false, dataType: BOOLEAN };

const isBool = (e: Expr, value: boolean): boolean => e.type === "literal" && e.value === value;

function simplifyBoolean(e: Expr): Expr {
  if (e.type === "binary" && e.op === "and") {
    if (isBool(e.left, false) || isBool(e.right, false)) return FALSE;
    if (isBool(e.left, true)) return e.right;
    if (isBool(e.right, true)) return e.left;
  }
  if (e.type === "binary" && e.op === "or") {
    if (isBool(e.left, true) || isBool(e.right, true)) return TRUE;
    if (isBool(e.left, false)) return e.right;
    if (isBool(e.right, false)) return e.left;
  }
  if (e.type === "not" && e.expr.type === "not") return e.expr.expr;
  return e;
}
