/**
 * Rewrites INTERSECT and EXCEPT (without ALL) as joins the physical planner
 * can run (Spark's ReplaceIntersectWithSemiJoin / ReplaceExceptWithAntiJoin):
 * `a INTERSECT b` is `DISTINCT (a LEFT SEMI JOIN b ON a.c1 <=> b.c1 AND ...)`
 * and `a EXCEPT b` the same with LEFT ANTI. Null-safe equality because set
 * operations treat two NULLs as the same value. The planner cannot plan a
 * SetOperation, so this rule must always be in the rule list.
 */
import { UnsupportedError } from "../common/errors.ts";
import type { Expr } from "../plan/expressions.ts";
import { conjunction, newExprId } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { columnRef, outputSchema } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";

export const replaceSetOperations: OptimizerRule = {
  name: "replace_set_operations",
  rewrite(plan: LogicalPlan): LogicalPlan {
    if (plan.type !== "SetOperation") return plan;
    const what = plan.op === "intersect" ? "INTERSECT" : "EXCEPT";
    if (plan.all) {
      throw new UnsupportedError(
        `${what} ALL is not supported yet; use ${what} (which removes duplicates), or express it with a join on row counts`,
        { operation: `${what} ALL` });
    }
    const leftFields = outputSchema(plan.left);
    // Both sides may be the same DataFrame (df.intersect(df)); the join needs distinct ids on its two sides.
    const leftIds = new Set(leftFields.map((f) => f.id));
    let right = plan.right;
    let rightFields = outputSchema(right);
    if (rightFields.some((f) => leftIds.has(f.id))) {
      const exprs = rightFields.map((f): Expr => ({ type: "alias", expr: columnRef(f), name: f.name, id: newExprId() }));
      right = { type: "Project", input: right, exprs };
      rightFields = outputSchema(right);
    }
    const condition = conjunction(leftFields.map((f, i): Expr => ({ type: "binary", op: "<=>", left: columnRef(f), right: columnRef(rightFields[i]!) })));
    const join: LogicalPlan = { type: "Join", left: plan.left, right, joinType: plan.op === "intersect" ? "left_semi" : "left_anti", condition };
    return { type: "Distinct", input: join };
  },
};
