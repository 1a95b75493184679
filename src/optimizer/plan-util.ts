/**
 * Small helpers the optimizer rules share: mapping over a node's own
 * expressions, telling which expressions may be moved or evaluated early
 * (deterministic, no subquery), substituting a Project's aliases into an
 * expression that moves below it, and the empty relation a rule puts where
 * it proves no row can come out.
 */
import type { Expr } from "../plan/expressions.ts";
import { mapChildren, newExprId, someExpr } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { outputSchema } from "../plan/logical-plan.ts";
import type { Field } from "../types/data-types.ts";
import { INT64 } from "../types/data-types.ts";

/**
 * Functions whose result differs from call to call. None are in the
 * function catalog yet; the list exists so a rule never moves or folds one
 * once they are added (Spark's `Nondeterministic`).
 */
const NONDETERMINISTIC_FUNCTIONS = new Set(["rand", "random", "randn", "uuid", "monotonically_increasing_id", "spark_partition_id", "shuffle"]);

export function isDeterministic(e: Expr): boolean {
  return !someExpr(e, (x) => x.type === "call" && NONDETERMINISTIC_FUNCTIONS.has(x.name.toLowerCase()));
}

/**
 * True when `e` holds a subquery or an outer reference. `referencedIds` does
 * not see the columns such an expression reads (they sit inside the
 * subquery's plan), so rules never move these and pruning keeps every input
 * column for them.
 */
export function hasSubquery(e: Expr): boolean {
  return someExpr(e, (x) => x.type === "scalarSubquery" || x.type === "exists" || x.type === "inSubquery" || x.type === "outerRef");
}

/** An expression a rule may move to another place in the plan or evaluate at a different time. */
export function isMovable(e: Expr): boolean {
  return isDeterministic(e) && !hasSubquery(e);
}

/** The expression an output expression computes: the alias's child, or the column itself. */
export function stripAlias(e: Expr): Expr {
  return e.type === "alias" ? e.expr : e;
}

/**
 * Replaces column references whose id is in `map` (alias substitution when
 * an expression moves below a Project, or id remapping into a Union input).
 * Outer references belong to an enclosing query and are left alone.
 */
export function substituteColumns(e: Expr, map: ReadonlyMap<number, Expr>): Expr {
  if (e.type === "outerRef") return e;
  if (e.type === "column" && e.id !== undefined) return map.get(e.id) ?? e;
  return mapChildren(e, (c) => substituteColumns(c, map));
}

/** Rebuilds `p` with each of its own expressions replaced by `f(expr)`; returns `p` when none changed. */
export function mapNodeExpressions(p: LogicalPlan, f: (e: Expr) => Expr): LogicalPlan {
  const all = (list: Expr[]): Expr[] => {
    const mapped = list.map(f);
    return mapped.every((e, i) => e === list[i]) ? list : mapped;
  };
  switch (p.type) {
    case "Scan": { const filters = all(p.filters); return filters === p.filters ? p : { ...p, filters }; }
    case "Project": { const exprs = all(p.exprs); return exprs === p.exprs ? p : { ...p, exprs }; }
    case "Filter": { const condition = f(p.condition); return condition === p.condition ? p : { ...p, condition }; }
    case "Aggregate": {
      const groupBy = all(p.groupBy), aggregates = all(p.aggregates);
      return groupBy === p.groupBy && aggregates === p.aggregates ? p : { ...p, groupBy, aggregates };
    }
    case "Join": {
      if (!p.condition) return p;
      const condition = f(p.condition);
      return condition === p.condition ? p : { ...p, condition };
    }
    case "Sort": {
      const exprs = all(p.orders.map((o) => o.expr));
      return exprs.every((e, i) => e === p.orders[i]!.expr) ? p : { ...p, orders: p.orders.map((o, i) => ({ ...o, expr: exprs[i]! })) };
    }
    case "Window": { const windowExprs = all(p.windowExprs); return windowExprs === p.windowExprs ? p : { ...p, windowExprs }; }
    case "Repartition": {
      const keys = all(p.keys), orderExprs = all(p.orders.map((o) => o.expr));
      if (keys === p.keys && orderExprs.every((e, i) => e === p.orders[i]!.expr)) return p;
      return { ...p, keys, orders: p.orders.map((o, i) => ({ ...o, expr: orderExprs[i]! })) };
    }
    default: return p;
  }
}

export function outputIds(p: LogicalPlan): Set<number> {
  return new Set(outputSchema(p).map((f) => f.id));
}

/** `input` under a Filter of `conjuncts`, or `input` itself when there are none. */
export function filterOf(input: LogicalPlan, conjuncts: Expr[]): LogicalPlan {
  if (conjuncts.length === 0) return input;
  const condition = conjuncts.reduce((a, b): Expr => ({ type: "binary", op: "and", left: a, right: b }));
  return { type: "Filter", input, condition };
}

/**
 * A relation with `schema`'s columns (same ids, names and types) and no
 * rows. There is no EmptyRelation node, so it is spelled with what the
 * physical planner already runs: NULL literals projected over an empty
 * `range` scan (Spark's empty LocalRelation).
 */
export function emptyRelation(schema: readonly Field[]): LogicalPlan {
  const scan: LogicalPlan = {
    type: "Scan", source: { kind: "range", start: 0, end: 0, step: 1, numPartitions: 1 },
    schema: [{ name: "id", type: INT64, nullable: false, id: newExprId() }], projection: null, filters: [],
  };
  return {
    type: "Project", input: scan,
    exprs: schema.map((f): Expr => ({ type: "alias", expr: { type: "literal", value: null, dataType: f.type }, name: f.name, id: f.id })),
  };
}

/** True for the plan `emptyRelation` builds, so rules can recognise it. */
export function isEmptyRelation(p: LogicalPlan): boolean {
  return p.type === "Project" && p.input.type === "Scan" && p.input.source.kind === "range" && p.input.source.start === p.input.source.end
    && p.exprs.every((e) => e.type === "alias" && e.expr.type === "literal" && e.expr.value === null);
}
