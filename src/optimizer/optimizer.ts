/**
 * Runs the optimizer rules over a resolved logical plan, bottom-up, in
 * batches repeated until nothing changes (or an iteration cap is hit, which
 * would be a rule bug rather than a reason to fail the query).
 */
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { transformPlanUp } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";

const MAX_ITERATIONS = 100;

export const DEFAULT_RULES: OptimizerRule[] = [];

/** Applies each rule bottom-up over the whole plan until a pass changes nothing. */
export function optimize(plan: LogicalPlan, rules: readonly OptimizerRule[] = DEFAULT_RULES): LogicalPlan {
  let current = plan;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    let changed = false;
    for (const rule of rules) {
      const next = transformPlanUp(current, (node) => {
        const rewritten = rule.rewrite(node);
        if (rewritten !== node) changed = true;
        return rewritten;
      });
      current = next;
    }
    if (!changed) break;
  }
  return current;
}
