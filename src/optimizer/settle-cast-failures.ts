/**
 * Settles what each CAST does with a value it cannot convert, from the
 * session's `ansi.enabled`: a CAST the query did not mark (TRY_CAST marks
 * itself "null") becomes "fail" under ANSI mode and "null" without it. It
 * runs before constant folding, so a folded cast and one evaluated per row
 * follow the same rule.
 */
import type { CastFailure, Expr } from "../plan/expressions.ts";
import { transformUp } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";
import { mapNodeExpressions } from "./plan-util.ts";

export function settleCastFailures(onError: CastFailure): OptimizerRule {
  const settle = (e: Expr): Expr => (e.type === "cast" && e.onError === undefined ? { ...e, onError } : e);
  return {
    name: "settle_cast_failures",
    rewrite: (plan: LogicalPlan) => mapNodeExpressions(plan, (e) => transformUp(e, settle)),
  };
}
