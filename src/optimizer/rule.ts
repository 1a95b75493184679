/**
 * The optimizer's rule interface (DataFusion's `OptimizerRule`): a rule
 * rewrites ONE node and says whether it changed anything by returning a new
 * object (or the same object when it does not apply). The runner does the
 * tree walk and repeats to a fixed point; a rule never writes its own
 * recursion, except a rule whose `applyOrder` is `"self"`.
 */
import type { LogicalPlan } from "../plan/logical-plan.ts";

/**
 * How the runner walks the tree for a rule (DataFusion's `ApplyOrder`):
 * - `bottomUp` (the default): children are rewritten first, then the node.
 * - `topDown`: the node first, then the children of whatever it became, so
 *   something pushed down (a predicate, a limit) keeps moving in one pass.
 * - `self`: the runner calls `rewrite` once on the root and the rule walks
 *   the tree itself. Only for rules whose information flows from the root
 *   down through every node, like the columns a parent needs (DataFusion's
 *   `OptimizeProjections` does the same).
 */
export type ApplyOrder = "bottomUp" | "topDown" | "self";

export interface OptimizerRule {
  readonly name: string;
  readonly applyOrder?: ApplyOrder;
  /** Returns the rewritten node, or the same object when the rule does not apply. */
  rewrite(plan: LogicalPlan): LogicalPlan;
}
