/**
 * Subquery decorrelation (Spark's RewritePredicateSubquery and
 * RewriteCorrelatedScalarSubquery): the physical planner cannot run a
 * subquery once per outer row, so every subquery expression becomes a join.
 *
 * - `[NOT] EXISTS (q)` as a conjunct of a Filter -> a left_semi (left_anti)
 *   join of the Filter's input with q, on q's correlation predicates (pulled
 *   out of q's Filters, with the outer references turned into plain columns).
 * - `x [NOT] IN (q)` -> the same, with `x = q.col` added to the condition.
 *   NOT IN is null-aware: `x NOT IN q` is never true when x is NULL or q
 *   yields a NULL (unless q is empty), so the anti join's condition is
 *   `x = y OR x IS NULL OR y IS NULL` whenever either side is nullable. That
 *   condition has no equi-key of its own, so an uncorrelated nullable NOT IN
 *   runs as a (broadcast) nested-loop anti join; correlation predicates
 *   still become hash keys.
 * - An uncorrelated scalar subquery -> joined as a one-row relation (an
 *   inner join when it is a global aggregate, which always yields exactly
 *   one row; otherwise a left join so an empty result reads as NULL). More
 *   than one row is not detected (Spark raises an error there).
 * - A correlated scalar subquery over a global aggregate (TPC-H Q2, Q17,
 *   Q20) -> the aggregate grouped by the inner side of its equality
 *   correlation predicates, left-joined back on them. A `count` result reads
 *   0 rather than NULL where no group matched (Spark's "count bug").
 *
 * Subqueries elsewhere (inside OR, in join conditions) are left alone, and
 * the physical planner reports them as unsupported.
 */
import type { Expr } from "../plan/expressions.ts";
import { conjunction, exprChildren, exprToString, newExprId, someExpr, splitConjuncts, transformDown, transformUp } from "../plan/expressions.ts";
import type { LogicalPlan, PlanOf } from "../plan/logical-plan.ts";
import { columnRef, fieldOf, outputSchema, planChildren, planExpressions } from "../plan/logical-plan.ts";
import { exprNullable, exprType } from "../plan/expression-types.ts";
import { INT64 } from "../types/data-types.ts";
import { castTo } from "../plan/analyzer.ts";
import { UnsupportedError } from "../common/errors.ts";
import type { OptimizerRule } from "./rule.ts";

export const rewriteSubqueries: OptimizerRule = {
  name: "rewrite_subqueries",
  rewrite(plan: LogicalPlan): LogicalPlan {
    if (plan.type === "Filter") return rewriteFilter(plan);
    if (plan.type === "Project") return rewriteProject(plan);
    return plan;
  },
};

const isSubqueryExpr = (e: Expr) => e.type === "scalarSubquery" || e.type === "exists" || e.type === "inSubquery";
const hasOuter = (e: Expr) => someExpr(e, (x) => x.type === "outerRef");

function rewriteFilter(f: PlanOf<"Filter">): LogicalPlan {
  const conjuncts = splitConjuncts(f.condition);
  if (!conjuncts.some((c) => someExpr(c, isSubqueryExpr))) return f;
  let input = f.input;
  const rest: Expr[] = [];
  let changed = false;
  for (const c of conjuncts) {
    const negated = c.type === "not";
    const inner = c.type === "not" ? c.expr : c;
    if (inner.type === "exists") {
      input = predicateJoin(input, inner.plan, null, inner.negated !== negated);
      changed = true;
    } else if (inner.type === "inSubquery") {
      input = predicateJoin(input, inner.plan, inner.expr, inner.negated !== negated);
      changed = true;
    } else if (someExpr(c, (x) => x.type === "scalarSubquery")) {
      const replaced = transformDown(c, (x) => {
        if (x.type !== "scalarSubquery") return undefined;
        const { plan, value } = scalarJoin(input, x.plan);
        input = plan;
        changed = true;
        return value;
      });
      rest.push(replaced);
    } else rest.push(c);
  }
  if (!changed) return f;
  const condition = conjunction(rest);
  const result: LogicalPlan = condition ? { type: "Filter", input, condition } : input;
  return restoreOutput(result, outputSchema(f).map(columnRef));
}

function rewriteProject(p: PlanOf<"Project">): LogicalPlan {
  if (!p.exprs.some((e) => someExpr(e, (x) => x.type === "scalarSubquery"))) return p;
  let input = p.input;
  const exprs = p.exprs.map((e) => transformDown(e, (x) => {
    if (x.type !== "scalarSubquery") return undefined;
    const { plan, value } = scalarJoin(input, x.plan);
    input = plan;
    return value;
  }));
  return { type: "Project", input, exprs };
}

/** A Project back to `exprs` when `plan`'s output differs (joins added columns). */
function restoreOutput(plan: LogicalPlan, exprs: Expr[]): LogicalPlan {
  const out = outputSchema(plan);
  const ids = exprs.map((e) => (e as { id: number }).id);
  if (out.length === ids.length && out.every((f, i) => f.id === ids[i])) return plan;
  return { type: "Project", input: plan, exprs };
}

/** Removes outer references: `outer(x)` -> `x` (a column of the Filter's input once joined). */
function stripOuter(e: Expr): Expr {
  return transformUp(e, (x) => (x.type === "outerRef" ? x.column : x));
}

/** [NOT] EXISTS / [NOT] IN as a semi or anti join. */
function predicateJoin(input: LogicalPlan, subquery: LogicalPlan, value: Expr | null, negated: boolean): LogicalPlan {
  const { plan, predicates } = pullCorrelated(subquery);
  requireDecorrelated(plan);
  const conditions = predicates.map(stripOuter);
  if (value) {
    const out = outputSchema(plan)[0]!;
    const y = castTo(columnRef(out), exprType(value));
    const eq: Expr = { type: "binary", op: "=", left: value, right: y };
    if (negated && (exprNullable(value) || out.nullable)) {
      conditions.unshift({
        type: "binary", op: "or",
        left: { type: "binary", op: "or", left: eq, right: { type: "isNull", expr: value, negated: false } },
        right: { type: "isNull", expr: y, negated: false },
      });
    } else conditions.unshift(eq);
  }
  return { type: "Join", left: input, right: plan, joinType: negated ? "left_anti" : "left_semi", condition: conjunction(conditions) };
}

/** Joins a scalar subquery's result to `input`; `value` reads it. */
function scalarJoin(input: LogicalPlan, subquery: LogicalPlan): { plan: LogicalPlan; value: Expr } {
  const correlated = planHasOuter(subquery);
  if (!correlated) {
    const out = outputSchema(subquery)[0]!;
    const top = stripAliases(subquery);
    const oneRow = top.type === "Aggregate" && top.groupBy.length === 0;
    return { plan: { type: "Join", left: input, right: subquery, joinType: oneRow ? "inner" : "left", condition: null }, value: columnRef(out) };
  }
  const agg = stripAliases(subquery);
  if (agg.type !== "Aggregate" || agg.groupBy.length > 0) {
    throw new UnsupportedError("a correlated scalar subquery must be a single aggregate such as (SELECT max(x) FROM t WHERE t.k = outer.k)");
  }
  const { plan: below, predicates } = pullCorrelated(agg.input);
  requireDecorrelated(below);
  const innerKeys: Expr[] = [], outerKeys: Expr[] = [];
  for (const p of predicates) {
    const sides = p.type === "binary" && p.op === "=" ? [p.left, p.right] : [];
    const innerSide = sides.find((x) => !hasOuter(x)), outerSide = sides.find(hasOuter);
    // The outer side may read only outer columns; anything else mixes the two scopes.
    if (!innerSide || !outerSide || someExpr(stripOuterMarkers(outerSide), (x) => x.type === "column")) {
      throw new UnsupportedError(`a correlated scalar subquery can only be correlated by equalities (inner = outer), not ${exprToString(p)}`);
    }
    innerKeys.push(innerSide!);
    outerKeys.push(stripOuter(outerSide!));
  }
  const keyOutputs = innerKeys.map((k, i): Expr => ({ type: "alias", expr: k, name: `__corr${i}`, id: newExprId() }));
  const grouped: LogicalPlan = { type: "Aggregate", input: below, groupBy: innerKeys, aggregates: [...agg.aggregates, ...keyOutputs] };
  const condition = conjunction(outerKeys.map((o, i): Expr => ({ type: "binary", op: "=", left: o, right: columnRef(fieldOf(keyOutputs[i]!)) })));
  const resultField = fieldOf(agg.aggregates[0]!);
  let value: Expr = columnRef({ ...resultField, nullable: true });
  const computed = agg.aggregates[0]!.type === "alias" ? agg.aggregates[0]!.expr : agg.aggregates[0]!;
  if (computed.type === "aggregate" && (computed.fn === "count" || computed.fn === "count_star")) {
    value = { type: "call", name: "coalesce", args: [value, { type: "literal", value: 0, dataType: INT64 }] };
  }
  return { plan: { type: "Join", left: input, right: grouped, joinType: "left", condition }, value };
}

function stripOuterMarkers(e: Expr): Expr {
  return transformDown(e, (x) => (x.type === "outerRef" ? { type: "literal", value: null, dataType: INT64 } : undefined));
}

function stripAliases(p: LogicalPlan): LogicalPlan {
  return p.type === "SubqueryAlias" ? stripAliases(p.input) : p;
}

function planHasOuter(p: LogicalPlan): boolean {
  return planExpressions(p).some(hasOuter) || planChildren(p).some(planHasOuter);
}

function requireDecorrelated(p: LogicalPlan): void {
  if (planHasOuter(p)) {
    throw new UnsupportedError("this correlated subquery references the outer query below an aggregate, join or limit; Cinder decorrelates outer references only in the subquery's WHERE clauses");
  }
}

/**
 * Takes the conjuncts that reference the outer query out of the subquery's
 * Filters (through Projects, aliases, sorts and inner joins), widening
 * Projects so the columns those conjuncts read stay visible.
 */
function pullCorrelated(p: LogicalPlan): { plan: LogicalPlan; predicates: Expr[] } {
  switch (p.type) {
    case "Filter": {
      const below = pullCorrelated(p.input);
      const conjuncts = splitConjuncts(p.condition);
      const correlated = conjuncts.filter(hasOuter);
      if (correlated.length === 0 && below.plan === p.input) return { plan: p, predicates: below.predicates };
      const keep = conjunction(conjuncts.filter((c) => !hasOuter(c)));
      return { plan: keep ? { ...p, input: below.plan, condition: keep } : below.plan, predicates: [...below.predicates, ...correlated] };
    }
    case "Project": {
      const below = pullCorrelated(p.input);
      if (below.predicates.length === 0) return { plan: p, predicates: [] };
      const have = new Set(p.exprs.map((e) => fieldOf(e).id));
      const needed = new Set<number>();
      for (const pred of below.predicates) collectInnerIds(pred, needed);
      const extra = outputSchema(below.plan).filter((f) => needed.has(f.id) && !have.has(f.id)).map(columnRef);
      return { plan: { ...p, input: below.plan, exprs: [...p.exprs, ...extra] }, predicates: below.predicates };
    }
    case "SubqueryAlias": case "Sort": {
      const below = pullCorrelated(p.input);
      return { plan: below.plan === p.input ? p : { ...p, input: below.plan }, predicates: below.predicates };
    }
    case "Join": {
      if (p.joinType !== "inner" && p.joinType !== "cross") return { plan: p, predicates: [] };
      const l = pullCorrelated(p.left), r = pullCorrelated(p.right);
      if (l.plan === p.left && r.plan === p.right) return { plan: p, predicates: [...l.predicates, ...r.predicates] };
      return { plan: { ...p, left: l.plan, right: r.plan }, predicates: [...l.predicates, ...r.predicates] };
    }
    default: return { plan: p, predicates: [] };
  }
}

/** Ids of the subquery's own columns an expression reads (not those under outerRef). */
function collectInnerIds(e: Expr, into: Set<number>): void {
  if (e.type === "outerRef") return;
  if (e.type === "column" && e.id !== undefined) into.add(e.id);
  for (const c of exprChildren(e)) collectInnerIds(c, into);
}
