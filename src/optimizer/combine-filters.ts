/**
 * Merges a Filter directly over another Filter into one Filter on the AND
 * of both conditions (Spark's CombineFilters), the inner condition first,
 * dropping outer conjuncts the inner one already has. One Filter evaluates
 * its predicate once per batch instead of materialising a batch in between.
 */
import type { Expr } from "../plan/expressions.ts";
import { exprToString, splitConjuncts } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";
import { filterOf, isDeterministic } from "./plan-util.ts";

export const combineFilters: OptimizerRule = {
  name: "combine_filters",
  rewrite(plan: LogicalPlan): LogicalPlan {
    if (plan.type !== "Filter" || plan.input.type !== "Filter") return plan;
    const inner = plan.input;
    // A non-deterministic predicate must see exactly the rows it saw before.
    if (!isDeterministic(plan.condition) || !isDeterministic(inner.condition)) return plan;
    const innerParts = splitConjuncts(inner.condition);
    const seen = new Set(innerParts.map(exprToString));
    const outerParts = splitConjuncts(plan.condition).filter((c: Expr) => !seen.has(exprToString(c)));
    return filterOf(inner.input, [...innerParts, ...outerParts]);
  },
};
