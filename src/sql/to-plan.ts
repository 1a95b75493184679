/**
 * Lowers the SQL AST to an unresolved logical plan that `analyze()` then
 * resolves, the way Spark's AstBuilder feeds its Analyzer. FROM items are
 * analyzed here already (they never see an outer query), which gives the
 * select list its input columns: `*` expands here, GROUP BY can tell an
 * alias from an input column, and USING joins know which side each column
 * comes from. Everything above FROM stays unresolved, because a correlated
 * subquery can only be resolved inside its outer query's scope.
 *
 * Clause order follows Spark: FROM -> WHERE -> GROUP BY/aggregates ->
 * HAVING -> SELECT -> DISTINCT -> ORDER BY -> LIMIT. HAVING and ORDER BY
 * may use aggregates and columns that the select list does not output;
 * those become hidden outputs that a final Project removes (Spark's
 * "missing attributes").
 */
import { AnalysisError } from "../common/errors.ts";
import type { Expr, SortOrder } from "../plan/expressions.ts";
import { defaultName, exprToString, newExprId, someExpr, transformDown } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { columnRef, outputSchema } from "../plan/logical-plan.ts";
import type { Field } from "../types/data-types.ts";
import { INT64 } from "../types/data-types.ts";
import { analyze } from "../plan/analyzer.ts";
import type { CteAst, FromItem, Position, QueryAst, QueryBody, SelectAst } from "./ast.ts";

/** Resolves a table name in FROM to the (resolved) plan of that table or view. */
export type TableResolver = (name: string) => LogicalPlan;

/** LIMIT used when only OFFSET is given. */
const NO_LIMIT = 2 ** 52;

interface Item {
  expr: Expr;
  /** The output name (alias, or the column's own name). */
  name: string;
  /** Reference to this item's output from a node above the projection. */
  ref: Expr;
}

export class PlanBuilder {
  constructor(private readonly resolveTable: TableResolver) {}

  /** Lowers a query; `ctes` are the WITH entries visible from here, outermost first. */
  lowerQuery(q: QueryAst, ctes: readonly CteAst[]): LogicalPlan {
    const env = [...ctes, ...q.with];
    let plan: LogicalPlan;
    if (q.body.kind === "select") plan = this.lowerSelect(q.body, q.orderBy, env);
    else {
      plan = this.lowerBody(q.body, env);
      if (q.orderBy.length) plan = { type: "Sort", input: plan, orders: this.setOpOrders(plan, q.orderBy) };
    }
    // Resolved by the analyzer against the query's output columns, like ORDER BY names.
    if (q.distributeBy.length) plan = { type: "Repartition", input: plan, mode: "hash", numPartitions: null, keys: q.distributeBy, orders: [] };
    if (q.sortBy.length) plan = { type: "Sort", input: plan, orders: q.sortBy, global: false };
    if (q.limit !== null || q.offset > 0) plan = { type: "Limit", input: plan, limit: q.limit ?? NO_LIMIT, offset: q.offset };
    return plan;
  }

  private lowerBody(body: QueryBody, env: readonly CteAst[]): LogicalPlan {
    switch (body.kind) {
      case "select": return this.lowerSelect(body, [], env);
      case "nested": return this.lowerQuery(body.query, env);
      case "setOp": {
        const left = this.lowerBody(body.left, env), right = this.lowerBody(body.right, env);
        if (body.op === "union") {
          const union: LogicalPlan = { type: "Union", inputs: [left, right] };
          return body.all ? union : { type: "Distinct", input: union };
        }
        return { type: "SetOperation", op: body.op, left, right, all: body.all };
      }
    }
  }

  /** ORDER BY over a set operation: positions and names refer to its output columns. */
  private setOpOrders(plan: LogicalPlan, orders: SortOrder[]): SortOrder[] {
    if (!orders.some((o) => positionOf(o.expr) !== null)) return orders;
    const fields = outputSchema(analyze(plan));
    return orders.map((o) => {
      const p = positionOf(o.expr);
      if (p === null) return o;
      const f = fields[p - 1];
      if (!f) throw new AnalysisError("INVALID_PLAN", `ORDER BY position ${p} is not in the select list (it has ${fields.length} columns)`);
      return { ...o, expr: { type: "column", name: f.name } };
    });
  }

  // ---- FROM ------------------------------------------------------------------

  /** `broadcast`: the relations a BROADCAST hint of this SELECT named, by lower-case name; each one found is marked used. */
  private lowerFrom(item: FromItem, env: readonly CteAst[], broadcast?: Map<string, BroadcastTarget>): LogicalPlan {
    const hinted = (plan: LogicalPlan, names: string[]): LogicalPlan => {
      const target = names.map((n) => broadcast?.get(n.toLowerCase())).find((t) => t !== undefined);
      if (target === undefined) return plan;
      target.used = true;
      return { type: "Hint", input: plan, name: "broadcast" };
    };
    switch (item.kind) {
      case "table": {
        const lower = item.name.toLowerCase();
        const index = findLastIndex(env, (c) => c.name.toLowerCase() === lower);
        let plan: LogicalPlan;
        if (index >= 0) {
          const cte = env[index]!;
          plan = withColumnNames(analyze(this.lowerQuery(cte.query, env.slice(0, index))), cte.columnAliases, cte.name);
        } else {
          plan = freshInstance(this.resolveTable(item.name));
        }
        const alias = item.alias ?? item.name.split(".").pop()!;
        return hinted(withColumnNames({ type: "SubqueryAlias", input: plan, alias }, item.columnAliases, alias), [alias, item.name]);
      }
      case "subquery": {
        const plan = analyze(this.lowerQuery(item.query, env));
        const named = withColumnNames(plan, item.columnAliases, item.alias ?? "subquery");
        return item.alias ? hinted({ type: "SubqueryAlias", input: named, alias: item.alias }, [item.alias]) : named;
      }
      case "join": {
        const left = this.lowerFrom(item.left, env, broadcast), right = this.lowerFrom(item.right, env, broadcast);
        if (item.using.length === 0) return analyze({ type: "Join", left, right, joinType: item.joinType, condition: item.on });
        return usingJoin(left, right, item.joinType, item.using);
      }
    }
  }

  // ---- SELECT ----------------------------------------------------------------

  private lowerSelect(s: SelectAst, orderBy: SortOrder[], env: readonly CteAst[]): LogicalPlan {
    const broadcast = new Map<string, BroadcastTarget>();
    for (const h of s.hints) if (h.kind === "broadcast") for (const t of h.tables) broadcast.set(t.name.toLowerCase(), { ...t });
    let input: LogicalPlan;
    if (s.from.length === 0) {
      // Spark's OneRowRelation: one row and no column, so no name of its own can be resolved or suggested.
      const oneRow: LogicalPlan = { type: "Scan", source: { kind: "range", start: 0, end: 1, step: 1, numPartitions: 1 }, schema: [{ name: "id", type: INT64, nullable: false, id: newExprId() }], projection: null, filters: [] };
      input = { type: "Project", input: oneRow, exprs: [] };
    } else {
      input = this.lowerFrom(s.from[0]!, env, broadcast);
      for (const next of s.from.slice(1)) input = { type: "Join", left: input, right: this.lowerFrom(next, env, broadcast), joinType: "inner", condition: null };
    }
    for (const t of broadcast.values()) {
      if (!t.used) throw new AnalysisError("INVALID_PLAN", `the BROADCAST hint at ${t.position.line}:${t.position.column} names '${t.name}', which is not a table or alias in this SELECT's FROM clause`);
    }
    const fields = outputSchema(input);
    if (s.where) input = { type: "Filter", input, condition: s.where };

    const items: Item[] = s.items.flatMap((it) => {
      if (it.expr.type === "star" && s.from.length === 0) {
        throw new AnalysisError("INVALID_PLAN", "'*' needs a FROM clause to expand (a SELECT without FROM has no columns); add FROM, or name the values: SELECT 1 AS x", { details: { star: true } });
      }
      if (it.expr.type === "star") return expandStar(it.expr.qualifier, fields).map((f) => itemOf(columnRef(f), null));
      return [itemOf(it.expr, it.alias)];
    });
    const isAggregate = s.groupBy.length > 0 || s.having !== null || items.some((i) => hasAggregate(i.expr));
    return isAggregate ? this.lowerAggregate(s, items, fields, input, orderBy) : this.lowerProjection(s, items, input, orderBy);
  }

  private lowerAggregate(s: SelectAst, items: Item[], fields: readonly Field[], input: LogicalPlan, orderBy: SortOrder[]): LogicalPlan {
    const groupBy = s.groupBy.map((g) => {
      const p = positionOf(g);
      if (p !== null) {
        const item = items[p - 1];
        if (!item) throw new AnalysisError("INVALID_PLAN", `GROUP BY position ${p} is not in the select list (it has ${items.length} columns)`);
        if (hasAggregate(item.expr)) throw new AnalysisError("INVALID_PLAN", `GROUP BY position ${p} refers to an aggregate, ${exprToString(item.expr)}`);
        return item.expr;
      }
      if (g.type === "column" && g.qualifier === undefined && !fields.some((f) => f.name.toLowerCase() === g.name.toLowerCase())) {
        const byAlias = items.find((i) => i.name.toLowerCase() === g.name.toLowerCase());
        if (byAlias) return byAlias.expr;
      }
      return g;
    });
    const hidden: Item[] = [];
    const rewrite = (e: Expr): Expr => transformDown(e, (x) => {
      const same = [...items, ...hidden].find((i) => exprToString(i.expr) === exprToString(x));
      if (same) return same.ref;
      if (x.type === "aggregate") {
        const item = itemOf(x, `__agg${hidden.length}`);
        hidden.push(item);
        return item.ref;
      }
      if (x.type === "column") {
        const byName = x.qualifier === undefined ? items.find((i) => i.name.toLowerCase() === x.name.toLowerCase()) : undefined;
        if (byName) return byName.ref;
        const item = itemOf(x, null);
        hidden.push(item);
        return item.ref;
      }
      return undefined;
    });
    const having = s.having ? rewrite(s.having) : null;
    const orders = orderBy.map((o) => ({ ...o, expr: this.positionalOrder(o.expr, items) ?? rewrite(o.expr) }));
    let plan: LogicalPlan = { type: "Aggregate", input, groupBy, aggregates: [...items, ...hidden].map(outputExpr) };
    if (having) plan = { type: "Filter", input: plan, condition: having };
    return this.finish(s, plan, items, hidden, orders);
  }

  private lowerProjection(s: SelectAst, items: Item[], input: LogicalPlan, orderBy: SortOrder[]): LogicalPlan {
    const hidden: Item[] = [];
    const orders = orderBy.map((o) => {
      const positional = this.positionalOrder(o.expr, items);
      if (positional) return { ...o, expr: positional };
      const text = exprToString(o.expr);
      const same = items.find((i) => exprToString(i.expr) === text || (o.expr.type === "column" && o.expr.qualifier === undefined && i.name.toLowerCase() === o.expr.name.toLowerCase()));
      if (same) return { ...o, expr: same.ref };
      // Not in the select list: computed from the input as a hidden column, with select aliases inlined.
      const inlined = transformDown(o.expr, (x) => {
        if (x.type !== "column" || x.qualifier !== undefined) return undefined;
        const byAlias = items.find((i) => i.name.toLowerCase() === x.name.toLowerCase());
        return byAlias ? byAlias.expr : undefined;
      });
      const item = itemOf(inlined, `__sort${hidden.length}`);
      hidden.push(item);
      return { ...o, expr: item.ref };
    });
    const plan: LogicalPlan = { type: "Project", input, exprs: [...items, ...hidden].map(outputExpr) };
    return this.finish(s, plan, items, hidden, orders);
  }

  /** DISTINCT, ORDER BY, and the Project that drops hidden columns. */
  private finish(s: SelectAst, plan: LogicalPlan, items: Item[], hidden: Item[], orders: SortOrder[]): LogicalPlan {
    if (s.distinct) {
      if (hidden.length) throw new AnalysisError("INVALID_PLAN", "with SELECT DISTINCT, ORDER BY and HAVING may only use columns of the select list; add the column to the select list");
      plan = { type: "Distinct", input: plan };
    }
    // Partitioning hints apply to the SELECT's rows, under its ORDER BY (as Spark places them).
    for (const h of s.hints) {
      if (h.kind !== "repartition") continue;
      const orders = h.mode === "range" ? h.keys.map((expr) => ({ expr, ascending: true, nullsFirst: true })) : [];
      plan = { type: "Repartition", input: plan, mode: h.mode, numPartitions: h.numPartitions, keys: h.mode === "hash" ? h.keys : [], orders };
    }
    if (orders.length) plan = { type: "Sort", input: plan, orders };
    if (hidden.length) plan = { type: "Project", input: plan, exprs: items.map((i) => i.ref) };
    return plan;
  }

  private positionalOrder(e: Expr, items: Item[]): Expr | null {
    const p = positionOf(e);
    if (p === null) return null;
    const item = items[p - 1];
    if (!item) throw new AnalysisError("INVALID_PLAN", `ORDER BY position ${p} is not in the select list (it has ${items.length} columns)`);
    return item.ref;
  }
}

interface BroadcastTarget {
  name: string;
  position: Position;
  used?: boolean;
}

function findLastIndex<T>(xs: readonly T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}

function positionOf(e: Expr): number | null {
  return e.type === "literal" && typeof e.value === "number" && e.dataType.kind === "int32" ? e.value : null;
}

function hasAggregate(e: Expr): boolean {
  return someExpr(e, (x) => x.type === "aggregate");
}

/** A select-list entry: aliased (given or default name) unless it is a plain column. */
function itemOf(expr: Expr, alias: string | null): Item {
  if (alias === null && expr.type === "column") return { expr, name: expr.name, ref: expr };
  const name = alias ?? defaultName(expr);
  return { expr, name, ref: { type: "column", name, id: newExprId() } };
}

function outputExpr(item: Item): Expr {
  if (item.ref.type === "column" && item.ref.id !== undefined && item.ref !== item.expr) {
    return { type: "alias", expr: item.expr, name: item.name, id: item.ref.id };
  }
  return item.expr;
}

function expandStar(qualifier: string | undefined, fields: readonly Field[]): Field[] {
  if (qualifier === undefined) return [...fields];
  const chosen = fields.filter((f) => f.qualifier?.toLowerCase() === qualifier.toLowerCase());
  if (chosen.length === 0) {
    throw new AnalysisError("UNRESOLVED_TABLE", `cannot expand '${qualifier}.*': no table or alias named '${qualifier}' in FROM`, { details: { table: qualifier } });
  }
  return chosen;
}

/**
 * A second reference to the same table must not share attribute ids with the
 * first (a self-join, or a subquery over the outer query's table), so every
 * table reference gets fresh ids (Spark's `newInstance`).
 */
export function freshInstance(plan: LogicalPlan): LogicalPlan {
  if (plan.type === "Scan") return { ...plan, schema: plan.schema.map((f) => ({ ...f, id: newExprId() })) };
  return { type: "Project", input: plan, exprs: outputSchema(plan).map((f): Expr => ({ type: "alias", expr: columnRef(f), name: f.name, id: newExprId() })) };
}

/** Renames a plan's columns by position (`AS t(a, b)`, `WITH t(a, b) AS`). */
function withColumnNames(plan: LogicalPlan, names: string[], what: string): LogicalPlan {
  if (names.length === 0) return plan;
  const fields = outputSchema(analyze(plan));
  if (fields.length !== names.length) {
    throw new AnalysisError("INVALID_PLAN", `'${what}' has ${fields.length} columns but ${names.length} column names were given`, { details: { expected: fields.length, actual: names.length } });
  }
  return analyze({ type: "Project", input: plan, exprs: fields.map((f, i): Expr => ({ type: "alias", expr: columnRef(f), name: names[i]!, id: newExprId() })) });
}

/** `a JOIN b USING (k)`: equality on each k, and k appears once in the output. */
function usingJoin(left: LogicalPlan, right: LogicalPlan, joinType: Extract<LogicalPlan, { type: "Join" }>["joinType"], using: string[]): LogicalPlan {
  const l = outputSchema(left), r = outputSchema(right);
  const find = (fields: Field[], name: string, side: string): Field => {
    const matches = fields.filter((f) => f.name.toLowerCase() === name.toLowerCase());
    if (matches.length !== 1) {
      throw new AnalysisError(matches.length ? "AMBIGUOUS_REFERENCE" : "UNRESOLVED_COLUMN",
        `USING column '${name}' ${matches.length ? "is ambiguous" : "is not"} in the ${side} side of the join (it has ${fields.map((f) => f.name).join(", ")})`,
        { details: { column: name } });
    }
    return matches[0]!;
  };
  const pairs = using.map((name) => [find(l, name, "left"), find(r, name, "right")] as const);
  const condition = pairs.map(([a, b]): Expr => ({ type: "binary", op: "=", left: columnRef(a), right: columnRef(b) }))
    .reduce((a, b) => ({ type: "binary", op: "and", left: a, right: b }));
  const join: LogicalPlan = analyze({ type: "Join", left, right, joinType, condition });
  if (joinType === "left_semi" || joinType === "left_anti") return join;
  const usedIds = new Set(pairs.flatMap(([a, b]) => [a.id, b.id]));
  const keys = pairs.map(([a, b]): Expr => {
    if (joinType === "right") return columnRef(b);
    if (joinType === "full") return { type: "alias", expr: { type: "call", name: "coalesce", args: [columnRef(a), columnRef(b)] }, name: a.name, id: newExprId() };
    return columnRef(a);
  });
  const rest = [...l, ...r].filter((f) => !usedIds.has(f.id)).map(columnRef);
  return analyze({ type: "Project", input: join, exprs: [...keys, ...rest] });
}
