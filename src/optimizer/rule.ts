/**
 * The optimizer's rule interface (DataFusion's `OptimizerRule`): a rule
 * rewrites ONE node, given that its children are already rewritten, and
 * says whether it changed anything. The runner does the tree walk and
 * repeats to a fixed point; a rule never writes its own recursion.
 */
import type { LogicalPlan } from "../plan/logical-plan.ts";

export interface OptimizerRule {
  readonly name: string;
  /** Returns the rewritten node, or the same object when the rule does not apply. */
  rewrite(plan: LogicalPlan): LogicalPlan;
}
