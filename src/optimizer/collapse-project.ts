/**
 * Merges a Project directly over another Project into one by substituting
 * the inner aliases into the outer expressions (Spark's CollapseProject),
 * and removes a Project that passes its input through unchanged. Output ids
 * are kept: an outer column that only forwards an inner alias becomes that
 * alias. The merge is skipped when it would compute one non-trivial inner
 * expression several times, or move something non-deterministic or a
 * subquery.
 */
import type { Expr } from "../plan/expressions.ts";
import { someExpr } from "../plan/expressions.ts";
import type { LogicalPlan, PlanOf } from "../plan/logical-plan.ts";
import { outputSchema } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";
import { hasSubquery, isMovable, stripAlias, substituteColumns } from "./plan-util.ts";

export const collapseProject: OptimizerRule = {
  name: "collapse_project",
  rewrite(plan: LogicalPlan): LogicalPlan {
    if (plan.type !== "Project") return plan;
    if (plan.input.type === "Project") {
      const merged = merge(plan, plan.input);
      if (merged) return merged;
    }
    return isIdentityProject(plan) ? plan.input : plan;
  },
};

/** A Project whose output is exactly its input's (same ids and names, same order). */
export function isIdentityProject(p: PlanOf<"Project">): boolean {
  const input = outputSchema(p.input);
  return p.exprs.length === input.length
    && p.exprs.every((e, i) => e.type === "column" && e.id === input[i]!.id && e.name === input[i]!.name);
}

function merge(outer: PlanOf<"Project">, inner: PlanOf<"Project">): LogicalPlan | null {
  if (!inner.exprs.every(isMovable) || outer.exprs.some(hasSubquery)) return null;
  const byId = new Map<number, Expr>();
  for (const e of inner.exprs) {
    if (e.type === "alias") byId.set(e.id, e);
    else if (e.type === "column" && e.id !== undefined) byId.set(e.id, e);
  }
  // Count how often each non-trivial inner expression would be computed after the merge.
  const uses = new Map<number, number>();
  for (const e of outer.exprs) {
    someExpr(e, (x) => {
      if (x.type === "column" && x.id !== undefined) uses.set(x.id, (uses.get(x.id) ?? 0) + 1);
      return false;
    });
  }
  for (const [id, n] of uses) {
    const inner = byId.get(id);
    if (n > 1 && inner && isNonTrivial(stripAlias(inner))) return null;
  }
  const substitutions = new Map<number, Expr>([...byId].map(([id, e]) => [id, stripAlias(e)]));
  const exprs = outer.exprs.map((e): Expr => {
    if (e.type === "column" && e.id !== undefined) {
      const source = byId.get(e.id);
      // A forwarded alias keeps its id and the name the outer Project gave it.
      if (source?.type === "alias") return source.name === e.name ? source : { ...source, name: e.name };
      return e;
    }
    if (e.type === "alias") return { ...e, expr: substituteColumns(e.expr, substitutions) };
    return substituteColumns(e, substitutions);
  });
  return { type: "Project", input: inner.input, exprs };
}

function isNonTrivial(e: Expr): boolean {
  return e.type !== "column" && e.type !== "literal";
}
