/**
 * Limit pushdown (Spark's LimitPushDown, DataFusion's PushDownLimit): a
 * Limit moves below a Project (which keeps the row count); a Limit over a
 * Union puts a Limit of `limit + offset` rows on each input and keeps the
 * outer one; a Limit directly over a Scan tells the scan how many rows are
 * enough (`Scan.limit`, a hint: the Limit above stays, since sources may
 * read more); two Limits in a row become one (offsets
 * included); `LIMIT 0` becomes an empty
 * relation. Runs top-down so a Limit keeps moving in one pass.
 */
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { outputSchema } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";
import { emptyRelation, isEmptyRelation, isMovable } from "./plan-util.ts";

export const pushDownLimit: OptimizerRule = {
  name: "push_down_limit",
  applyOrder: "topDown",
  rewrite(plan: LogicalPlan): LogicalPlan {
    if (plan.type !== "Limit") return plan;
    if (plan.limit === 0) return isEmptyRelation(plan.input) ? plan.input : emptyRelation(outputSchema(plan));
    const child = plan.input;
    const rows = plan.limit + plan.offset;
    switch (child.type) {
      case "Project":
        if (!child.exprs.every(isMovable)) return plan;
        return { ...child, input: { ...plan, input: child.input } };
      case "Limit": {
        // The inner keeps input rows [o2, o2 + b); the outer skips o1 of those and keeps a:
        // input rows [o1 + o2, o1 + o2 + min(a, b - o1)).
        const limit = Math.min(plan.limit, Math.max(0, child.limit - plan.offset));
        return { ...plan, limit, offset: plan.offset + child.offset, input: child.input };
      }
      case "Union": {
        if (!Number.isSafeInteger(rows)) return plan;
        const inputs = child.inputs.map((input): LogicalPlan => (maxRows(input) <= rows ? input : { type: "Limit", input, limit: rows, offset: 0 }));
        if (inputs.every((input, i) => input === child.inputs[i])) return plan;
        return { ...plan, input: { ...child, inputs } };
      }
      case "Scan":
        if (!Number.isSafeInteger(rows) || (child.limit !== undefined && child.limit <= rows)) return plan;
        return { ...plan, input: { ...child, limit: rows } };
      default:
        return plan;
    }
  },
};

/** An upper bound of the rows `p` produces (Spark's `maxRows`), so a Limit is never added twice. */
function maxRows(p: LogicalPlan): number {
  switch (p.type) {
    case "Limit": return Math.min(p.limit, maxRows(p.input));
    case "Scan": return p.limit ?? Infinity;
    case "Project": case "Filter": case "Sort": case "SubqueryAlias": case "Hint": case "Distinct": case "Repartition": return maxRows(p.input);
    case "Union": return p.inputs.reduce((n, c) => n + maxRows(c), 0);
    default: return Infinity;
  }
}

