/**
 * Expressions as plain serializable data (tagged unions on `type`), shared by
 * the DataFrame API, the SQL front end, the optimizer and the physical
 * operators. A column reference starts unresolved (`name`, maybe
 * `qualifier`) and the analyzer fills in the attribute `id`, `dataType` and
 * `nullable` of the field it names; physical planning then binds it to an
 * ordinal (`boundRef`).
 */
import type { DataType } from "../types/data-types.ts";
import type { AggregateFn, BinaryOp, FrameBound, LiteralValue, RankingFn, WindowFrame } from "../types/operations.ts";
import type { LogicalPlan } from "./logical-plan.ts";

export interface SortOrder {
  expr: Expr;
  ascending: boolean;
  nullsFirst: boolean;
}

export interface WindowSpec {
  partitionBy: Expr[];
  orderBy: SortOrder[];
  /** null means the SQL default: whole partition without ORDER BY, else RANGE UNBOUNDED PRECEDING..CURRENT ROW. */
  frame: WindowFrame | null;
}

/** What a CAST does with a value it cannot convert: raise an error, or give NULL. */
export type CastFailure = "fail" | "null";

export type Expr =
  | { type: "column"; name: string; qualifier?: string; id?: number; dataType?: DataType; nullable?: boolean }
  | { type: "literal"; value: LiteralValue; dataType: DataType }
  | { type: "alias"; expr: Expr; name: string; id: number }
  | { type: "binary"; op: BinaryOp; left: Expr; right: Expr }
  | { type: "not"; expr: Expr }
  | { type: "negate"; expr: Expr }
  | { type: "isNull"; expr: Expr; negated: boolean }
  | { type: "case"; branches: { when: Expr; then: Expr }[]; otherwise: Expr | null }
  /**
   * `onError` says what a value that cannot be converted becomes: "fail" (an error, ANSI mode), "null"
   * (TRY_CAST, or any CAST with `ansi.enabled` off). Absent until the session resolves it from its config.
   */
  | { type: "cast"; expr: Expr; to: DataType; onError?: CastFailure }
  | { type: "in"; expr: Expr; list: Expr[]; negated: boolean }
  | { type: "like"; expr: Expr; pattern: Expr; negated: boolean; regex: boolean }
  | { type: "call"; name: string; args: Expr[] }
  | { type: "aggregate"; fn: AggregateFn; args: Expr[]; distinct: boolean }
  | { type: "window"; fn: AggregateFn | RankingFn; args: Expr[]; spec: WindowSpec }
  | { type: "star"; qualifier?: string }
  | { type: "scalarSubquery"; plan: LogicalPlan; correlated?: boolean }
  | { type: "exists"; plan: LogicalPlan; negated: boolean }
  | { type: "inSubquery"; expr: Expr; plan: LogicalPlan; negated: boolean }
  | { type: "outerRef"; column: Expr }
  | { type: "boundRef"; index: number; dataType: DataType; nullable: boolean };

export type ExprOf<T extends Expr["type"]> = Extract<Expr, { type: T }>;

let nextId = 1;
/** A fresh attribute id (Spark's exprId). Ids only need to be unique within one driver. */
export function newExprId(): number {
  return nextId++;
}

export function column(name: string, qualifier?: string): Expr {
  return qualifier === undefined ? { type: "column", name } : { type: "column", name, qualifier };
}

export function alias(expr: Expr, name: string): Expr {
  return { type: "alias", expr: expr.type === "alias" ? expr.expr : expr, name, id: newExprId() };
}

/** The immediate sub-expressions (not descending into subquery plans). */
export function exprChildren(e: Expr): Expr[] {
  switch (e.type) {
    case "column": case "literal": case "star": case "boundRef": case "scalarSubquery": case "exists":
      return [];
    case "alias": case "not": case "negate": case "isNull": case "cast":
      return [e.expr];
    case "binary": return [e.left, e.right];
    case "case": return [...e.branches.flatMap((b) => [b.when, b.then]), ...(e.otherwise ? [e.otherwise] : [])];
    case "in": return [e.expr, ...e.list];
    case "like": return [e.expr, e.pattern];
    case "call": case "aggregate": return e.args;
    case "window": return [...e.args, ...e.spec.partitionBy, ...e.spec.orderBy.map((o) => o.expr)];
    case "inSubquery": return [e.expr];
    case "outerRef": return [e.column];
  }
}

/** Rebuilds `e` with each child replaced by `f(child)`; returns `e` itself when nothing changed. */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  const children = exprChildren(e);
  if (children.length === 0) return e;
  const mapped = children.map(f);
  if (mapped.every((c, i) => c === children[i])) return e;
  let i = 0;
  const next = () => mapped[i++]!;
  switch (e.type) {
    case "alias": case "not": case "negate": case "isNull": case "cast":
      return { ...e, expr: next() };
    case "binary": return { ...e, left: next(), right: next() };
    case "case": {
      const branches = e.branches.map(() => ({ when: next(), then: next() }));
      return { ...e, branches, otherwise: e.otherwise ? next() : null };
    }
    case "in": return { ...e, expr: next(), list: e.list.map(() => next()) };
    case "like": return { ...e, expr: next(), pattern: next() };
    case "call": case "aggregate": return { ...e, args: e.args.map(() => next()) };
    case "window": {
      const args = e.args.map(() => next());
      const partitionBy = e.spec.partitionBy.map(() => next());
      const orderBy = e.spec.orderBy.map((o) => ({ ...o, expr: next() }));
      return { ...e, args, spec: { ...e.spec, partitionBy, orderBy } };
    }
    case "inSubquery": return { ...e, expr: next() };
    case "outerRef": return { ...e, column: next() };
    default: return e;
  }
}

/** Bottom-up rewrite: children first, then `f` on the rebuilt node. */
export function transformUp(e: Expr, f: (e: Expr) => Expr): Expr {
  return f(mapChildren(e, (c) => transformUp(c, f)));
}

/** Top-down rewrite: `f` first; when it returns a different node its result is not descended into. */
export function transformDown(e: Expr, f: (e: Expr) => Expr | undefined): Expr {
  const replaced = f(e);
  if (replaced !== undefined && replaced !== e) return replaced;
  return mapChildren(e, (c) => transformDown(c, f));
}

export function someExpr(e: Expr, predicate: (e: Expr) => boolean): boolean {
  if (predicate(e)) return true;
  return exprChildren(e).some((c) => someExpr(c, predicate));
}

/** Attribute ids of every resolved column the expression reads. */
export function referencedIds(e: Expr, into = new Set<number>()): Set<number> {
  if (e.type === "column" && e.id !== undefined) into.add(e.id);
  if (e.type === "outerRef") return into;
  for (const c of exprChildren(e)) referencedIds(c, into);
  return into;
}

/** Splits `a AND b AND c` into its conjuncts. */
export function splitConjuncts(e: Expr): Expr[] {
  if (e.type === "binary" && e.op === "and") return [...splitConjuncts(e.left), ...splitConjuncts(e.right)];
  return [e];
}

export function conjunction(parts: Expr[]): Expr | null {
  if (parts.length === 0) return null;
  return parts.reduce((a, b) => ({ type: "binary", op: "and", left: a, right: b }));
}

export function isAggregateOrWindow(e: Expr): boolean {
  return someExpr(e, (x) => x.type === "aggregate" || x.type === "window");
}

/** The name a projected expression gets when the user gave none (Spark-like). */
export function defaultName(e: Expr): string {
  switch (e.type) {
    case "column": return e.name;
    case "alias": return e.name;
    case "literal": return e.value === null ? "NULL" : String(e.value);
    case "aggregate": return `${e.fn === "count_star" ? "count" : e.fn}(${e.distinct ? "DISTINCT " : ""}${e.fn === "count_star" ? "1" : e.args.map(defaultName).join(", ")})`;
    case "call": return `${e.name}(${e.args.map(defaultName).join(", ")})`;
    case "window": return `${e.fn}(${e.args.map(defaultName).join(", ")}) OVER (...)`;
    case "cast": return defaultName(e.expr);
    default: return exprToString(e);
  }
}

/** Text form used by `explain()` and error messages. */
export function exprToString(e: Expr): string {
  switch (e.type) {
    case "column": return `${e.qualifier ? e.qualifier + "." : ""}${e.name}${e.id !== undefined ? "#" + e.id : ""}`;
    case "literal": return literalToString(e.value, e.dataType);
    case "alias": return `${exprToString(e.expr)} AS ${e.name}#${e.id}`;
    case "binary": return `(${exprToString(e.left)} ${e.op.toUpperCase()} ${exprToString(e.right)})`;
    case "not": return `NOT ${exprToString(e.expr)}`;
    case "negate": return `-${exprToString(e.expr)}`;
    case "isNull": return `${exprToString(e.expr)} IS ${e.negated ? "NOT " : ""}NULL`;
    case "case": return `CASE ${e.branches.map((b) => `WHEN ${exprToString(b.when)} THEN ${exprToString(b.then)}`).join(" ")}${e.otherwise ? " ELSE " + exprToString(e.otherwise) : ""} END`;
    case "cast": return `${e.onError === "null" ? "TRY_CAST" : "CAST"}(${exprToString(e.expr)} AS ${typeLabel(e.to)})`;
    case "in": return `${exprToString(e.expr)} ${e.negated ? "NOT " : ""}IN (${e.list.map(exprToString).join(", ")})`;
    case "like": return `${exprToString(e.expr)} ${e.negated ? "NOT " : ""}${e.regex ? "RLIKE" : "LIKE"} ${exprToString(e.pattern)}`;
    case "call": return `${e.name}(${e.args.map(exprToString).join(", ")})`;
    case "aggregate": return `${e.fn === "count_star" ? "count(*)" : `${e.fn}(${e.distinct ? "DISTINCT " : ""}${e.args.map(exprToString).join(", ")})`}`;
    case "window": return `${e.fn}(${e.args.map(exprToString).join(", ")}) OVER (PARTITION BY ${e.spec.partitionBy.map(exprToString).join(", ")} ORDER BY ${e.spec.orderBy.map(sortOrderToString).join(", ")}${e.spec.frame ? ` ${e.spec.frame.unit.toUpperCase()} BETWEEN ${boundToString(e.spec.frame.start)} AND ${boundToString(e.spec.frame.end)}` : ""})`;
    case "star": return e.qualifier ? `${e.qualifier}.*` : "*";
    case "scalarSubquery": return "scalar-subquery";
    case "exists": return `${e.negated ? "NOT " : ""}EXISTS (subquery)`;
    case "inSubquery": return `${exprToString(e.expr)} ${e.negated ? "NOT " : ""}IN (subquery)`;
    case "outerRef": return `outer(${exprToString(e.column)})`;
    case "boundRef": return `#${e.index}`;
  }
}

/** Decimal literals hold their unscaled value (see src/exec/column-vector.ts); print them scaled. */
function literalToString(value: LiteralValue, dataType: DataType): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return `'${value}'`;
  if (typeof value !== "number") return String(value);
  if (dataType.kind === "decimal") return (value / 10 ** dataType.scale).toFixed(dataType.scale);
  // Dates are days and timestamps microseconds since the epoch.
  const ms = dataType.kind === "date32" ? value * 86_400_000 : dataType.kind === "timestamp" ? value / 1000 : NaN;
  if (!Number.isFinite(new Date(ms).getTime())) return String(value);
  const iso = new Date(ms).toISOString();
  return dataType.kind === "date32" ? `DATE '${iso.slice(0, 10)}'` : `TIMESTAMP '${iso.slice(0, 23).replace("T", " ")}'`;
}

export function sortOrderToString(o: SortOrder): string {
  return `${exprToString(o.expr)} ${o.ascending ? "ASC" : "DESC"} NULLS ${o.nullsFirst ? "FIRST" : "LAST"}`;
}

function boundToString(b: FrameBound): string {
  switch (b.kind) {
    case "unboundedPreceding": return "UNBOUNDED PRECEDING";
    case "unboundedFollowing": return "UNBOUNDED FOLLOWING";
    case "currentRow": return "CURRENT ROW";
    case "offset": return b.value < 0 ? `${-b.value} PRECEDING` : `${b.value} FOLLOWING`;
  }
}

function typeLabel(t: DataType): string {
  return t.kind === "decimal" ? `decimal(${t.precision},${t.scale})` : t.kind;
}
