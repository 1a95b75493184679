/**
 * Helpers for optimizer rule tests: print a plan before and after some rules
 * with attribute ids renumbered by first appearance (ids are global
 * counters, so raw numbers depend on what ran before), and compare with an
 * expected indented tree written as a template literal.
 */
import assert from "node:assert/strict";
import type { DataFrame } from "../../src/index.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import { planToString } from "../../src/plan/logical-plan.ts";
import { optimizeWithStats } from "../../src/optimizer/optimizer.ts";
import type { OptimizerRule } from "../../src/optimizer/rule.ts";

/** Renumbers `#123` ids to `#1`, `#2`, ... in order of first appearance. */
export function normalizeIds(text: string): string {
  const ids = new Map<string, number>();
  return text.replace(/#(\d+)/g, (_, id: string) => {
    if (!ids.has(id)) ids.set(id, ids.size + 1);
    return `#${ids.get(id)}`;
  });
}

/** Strips the common leading indentation and the surrounding blank lines of a template literal. */
export function tree(text: string): string {
  const lines = text.replace(/^\n+|\s+$/g, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

export function printed(plan: LogicalPlan): string {
  return normalizeIds(planToString(plan));
}

/**
 * Optimizes `df`'s analyzed plan with `rules`, asserts the plan printed
 * before and after, and that the rules reach a fixed point (a rule that is
 * not idempotent would loop to the iteration cap). Returns the optimized plan.
 */
export function assertRewrite(df: DataFrame | LogicalPlan, rules: readonly OptimizerRule[], before: string, after: string): LogicalPlan {
  const plan = "plan" in df && !("type" in df) ? df.plan : (df as LogicalPlan);
  assert.equal(printed(plan), tree(before), "plan before the rules");
  const result = optimizeWithStats(plan, rules);
  assert.equal(printed(result.plan), tree(after), "plan after the rules");
  assert.ok(result.converged, `rules did not reach a fixed point: ${result.applied.join(", ")}`);
  const again = optimizeWithStats(result.plan, rules);
  assert.equal(again.plan, result.plan, "optimizing the optimized plan changed it again");
  return result.plan;
}
