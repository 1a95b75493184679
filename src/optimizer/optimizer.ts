/**
 * Runs the optimizer rules over a resolved logical plan, each in its apply
 * order (see rule.ts), in one batch repeated until a pass changes nothing
 * (or an iteration cap is hit, which would be a rule bug rather than a
 * reason to fail the query). Because the loop stops only when every rule
 * returns the very object it was given, every rule must be idempotent.
 */
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { outputSchema, planChildren, transformPlanUp, withChildren } from "../plan/logical-plan.ts";
import { InternalError } from "../common/errors.ts";
import type { OptimizerRule } from "./rule.ts";
import { replaceSetOperations } from "./replace-set-operations.ts";
import { constantFolding } from "./constant-folding.ts";
import { combineFilters } from "./combine-filters.ts";
import { pushDownPredicates } from "./push-down-predicates.ts";
import { collapseProject } from "./collapse-project.ts";
import { eliminateSorts } from "./eliminate-sorts.ts";
import { pushDownLimit } from "./push-down-limit.ts";
import { pruneColumns } from "./prune-columns.ts";
import { rewriteSubqueries } from "./rewrite-subqueries.ts";
import { reorderJoins } from "./reorder-joins.ts";
import { pushSemiJoinThroughJoin } from "./push-semi-join-through-join.ts";
import { collapseRepartition } from "./collapse-repartition.ts";

const MAX_ITERATIONS = 100;

/**
 * The rules a query goes through, in order. Set operations are replaced
 * first (the physical planner cannot plan them) and subqueries turned into
 * joins; constants are folded early so later rules see simple predicates;
 * predicates are pushed before joins are reordered (so each join sees the
 * predicates that connect it), and before projections are collapsed and
 * columns pruned; pruning runs last so it sees every Filter where it will
 * finally sit.
 */
export const DEFAULT_RULES: OptimizerRule[] = [
  replaceSetOperations,
  rewriteSubqueries,
  constantFolding,
  combineFilters,
  pushDownPredicates,
  pushSemiJoinThroughJoin,
  reorderJoins,
  collapseProject,
  eliminateSorts,
  collapseRepartition,
  pushDownLimit,
  pruneColumns,
];

export interface OptimizeResult {
  plan: LogicalPlan;
  /** Passes over the rule list, the last of which changed nothing (when `converged`). */
  iterations: number;
  converged: boolean;
  /** Names of the rules that changed the plan, in order, once per pass. */
  applied: string[];
}

/** Applies each rule over the whole plan until a pass changes nothing. */
export function optimize(plan: LogicalPlan, rules: readonly OptimizerRule[] = DEFAULT_RULES): LogicalPlan {
  return optimizeWithStats(plan, rules).plan;
}

/** `optimize`, also saying how many passes it took and which rules fired (for tests and debugging). */
export function optimizeWithStats(plan: LogicalPlan, rules: readonly OptimizerRule[] = DEFAULT_RULES): OptimizeResult {
  let current = plan;
  const applied: string[] = [];
  let iterations = 0, converged = false;
  while (iterations < MAX_ITERATIONS) {
    iterations++;
    let changed = false;
    for (const rule of rules) {
      const next = applyRule(current, rule);
      if (next !== current) {
        changed = true;
        applied.push(rule.name);
        current = next;
      }
    }
    if (!changed) { converged = true; break; }
  }
  checkSameOutput(plan, current);
  return { plan: current, iterations, converged, applied };
}

function applyRule(plan: LogicalPlan, rule: OptimizerRule): LogicalPlan {
  switch (rule.applyOrder ?? "bottomUp") {
    case "bottomUp": return transformPlanUp(plan, (node) => rule.rewrite(node));
    case "topDown": return transformPlanDown(plan, (node) => rule.rewrite(node));
    case "self": return rule.rewrite(plan);
  }
}

/** Top-down plan rewrite: `f` on the node, then on the children of whatever it returned. */
export function transformPlanDown(p: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const q = f(p);
  return withChildren(q, planChildren(q).map((c) => transformPlanDown(c, f)));
}

/**
 * The physical planner binds the root's columns by id and the DataFrame
 * reads them by position and name, so a rule that changed the root's output
 * is a bug; failing here names it instead of returning wrong columns.
 */
function checkSameOutput(before: LogicalPlan, after: LogicalPlan): void {
  const a = outputSchema(before), b = outputSchema(after);
  const same = a.length === b.length && a.every((f, i) => f.id === b[i]!.id && f.name === b[i]!.name);
  if (!same) {
    throw new InternalError(`the optimizer changed the query's output from [${a.map((f) => `${f.name}#${f.id}`).join(", ")}] to [${b.map((f) => `${f.name}#${f.id}`).join(", ")}]`);
  }
}
