/**
 * Removes sorts whose order nobody can observe (Spark's EliminateSorts):
 * a Sort directly below a global Sort (the outer one reorders everything),
 * a Sort directly below an Aggregate or Distinct whose result does not
 * depend on input order (`first` does, so it keeps its Sort), and a Sort
 * with no keys.
 */
import { someExpr } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";

export const eliminateSorts: OptimizerRule = {
  name: "eliminate_sorts",
  rewrite(plan: LogicalPlan): LogicalPlan {
    switch (plan.type) {
      case "Sort":
        if (plan.orders.length === 0) return plan.input;
        // A sort within partitions keeps the partitions a global sort below it made, so only a global sort drops it.
        return plan.input.type === "Sort" && plan.global !== false ? { ...plan, input: plan.input.input } : plan;
      case "Distinct":
        return plan.input.type === "Sort" ? { ...plan, input: plan.input.input } : plan;
      case "Aggregate": {
        if (plan.input.type !== "Sort") return plan;
        const orderSensitive = plan.aggregates.some((e) => someExpr(e, (x) => x.type === "aggregate" && x.fn === "first"));
        return orderSensitive ? plan : { ...plan, input: plan.input.input };
      }
      default:
        return plan;
    }
  },
};
