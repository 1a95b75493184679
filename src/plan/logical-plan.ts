/**
 * Logical plan nodes as plain serializable data. A plan says what to
 * compute, not how: the optimizer rewrites it and `src/physical/` turns it
 * into operators and Exchanges. Every node's output is a list of `Field`s
 * whose `id`s are stable through rewrites, so a rule can move a predicate
 * without renaming anything.
 */
import type { Expr, SortOrder } from "./expressions.ts";
import type { LiteralValue } from "../types/operations.ts";
import { exprToString, sortOrderToString } from "./expressions.ts";
import type { Field, Schema } from "../types/data-types.ts";
import type { JoinType } from "../types/operations.ts";
import { exprNullable, exprType } from "./expression-types.ts";
import { InternalError } from "../common/errors.ts";

/** Where a Scan's rows come from. Sources are described by data; their bytes live elsewhere. */
export type DataSource =
  | { kind: "memory"; tableId: string; numPartitions: number; rowCount: number; sizeBytes: number }
  | { kind: "range"; start: number; end: number; step: number; numPartitions: number }
  | {
      kind: "parquet"; paths: string[]; rowCount?: number; sizeBytes?: number; options?: Record<string, unknown>;
      /** Scan partitions: row groups of one file each (see src/io/parquet-source.ts). */
      splits?: { file: number; rowGroups: number[] }[];
      /** Hive partition columns (the last columns of the Scan schema) and each file's values. */
      partitionColumns?: string[];
      partitionValues?: LiteralValue[][];
      /** Things the user should know, e.g. a server that ignored Range so the whole file was downloaded. */
      warnings?: string[];
    }
  | { kind: "external"; format: string; id: string; rowCount?: number; sizeBytes?: number; options?: Record<string, unknown> };


export type LogicalPlan =
  | { type: "Scan"; source: DataSource; schema: Field[]; projection: number[] | null; filters: Expr[]; limit?: number }
  | { type: "Project"; input: LogicalPlan; exprs: Expr[] }
  | { type: "Filter"; input: LogicalPlan; condition: Expr }
  | { type: "Aggregate"; input: LogicalPlan; groupBy: Expr[]; aggregates: Expr[] }
  | { type: "Join"; left: LogicalPlan; right: LogicalPlan; joinType: JoinType; condition: Expr | null }
  /** `global: false` sorts each partition on its own (Spark's sortWithinPartitions, SQL's SORT BY); absent: a total order. */
  | { type: "Sort"; input: LogicalPlan; orders: SortOrder[]; global?: false }
  | { type: "Limit"; input: LogicalPlan; limit: number; offset: number }
  | { type: "Union"; inputs: LogicalPlan[] }
  | { type: "SetOperation"; op: "intersect" | "except"; left: LogicalPlan; right: LogicalPlan; all: boolean }
  | { type: "Distinct"; input: LogicalPlan }
  | { type: "Window"; input: LogicalPlan; windowExprs: Expr[] }
  | { type: "SubqueryAlias"; input: LogicalPlan; alias: string }
  | { type: "Hint"; input: LogicalPlan; name: "broadcast" }
  /**
   * A requested partitioning (Spark's Repartition and RepartitionByExpression): round robin, hash on
   * `keys`, range on `orders`, or `coalesce` (fewer partitions, no shuffle). `numPartitions` null: `shuffle.partitions`.
   */
  | { type: "Repartition"; input: LogicalPlan; mode: RepartitionMode; numPartitions: number | null; keys: Expr[]; orders: SortOrder[] };

export type RepartitionMode = "roundRobin" | "hash" | "range" | "coalesce";

export type PlanOf<T extends LogicalPlan["type"]> = Extract<LogicalPlan, { type: T }>;

export function planChildren(p: LogicalPlan): LogicalPlan[] {
  switch (p.type) {
    case "Scan": return [];
    case "Join": case "SetOperation": return [p.left, p.right];
    case "Union": return p.inputs;
    default: return [p.input];
  }
}

export function withChildren(p: LogicalPlan, children: LogicalPlan[]): LogicalPlan {
  const old = planChildren(p);
  if (old.length === children.length && old.every((c, i) => c === children[i])) return p;
  switch (p.type) {
    case "Scan": return p;
    case "Join": case "SetOperation": return { ...p, left: children[0]!, right: children[1]! };
    case "Union": return { ...p, inputs: children };
    default: return { ...p, input: children[0]! };
  }
}

/** The expressions a node holds (not its children's). */
export function planExpressions(p: LogicalPlan): Expr[] {
  switch (p.type) {
    case "Scan": return p.filters;
    case "Project": return p.exprs;
    case "Filter": return [p.condition];
    case "Aggregate": return [...p.groupBy, ...p.aggregates];
    case "Join": return p.condition ? [p.condition] : [];
    case "Sort": return p.orders.map((o) => o.expr);
    case "Window": return p.windowExprs;
    case "Repartition": return [...p.keys, ...p.orders.map((o) => o.expr)];
    default: return [];
  }
}

/** The field an output expression (alias or column) produces. */
export function fieldOf(e: Expr): Field {
  if (e.type === "alias") return { name: e.name, type: exprType(e.expr), nullable: exprNullable(e.expr), id: e.id };
  if (e.type === "column" && e.id !== undefined) {
    const f: Field = { name: e.name, type: exprType(e), nullable: e.nullable ?? true, id: e.id };
    if (e.qualifier !== undefined) f.qualifier = e.qualifier;
    return f;
  }
  throw new InternalError(`output expression must be an alias or a resolved column, got ${exprToString(e)}`);
}

/** The output schema of a (resolved) plan. */
export function outputSchema(p: LogicalPlan): Field[] {
  switch (p.type) {
    case "Scan": return p.projection ? p.projection.map((i) => p.schema[i]!) : p.schema;
    case "Project": return p.exprs.map(fieldOf);
    case "Filter": case "Sort": case "Limit": case "Distinct": case "Hint": case "Repartition": return outputSchema(p.input);
    case "Aggregate": return p.aggregates.map(fieldOf);
    case "Window": return [...outputSchema(p.input), ...p.windowExprs.map(fieldOf)];
    case "SubqueryAlias": return outputSchema(p.input).map((f) => ({ ...f, qualifier: p.alias }));
    case "SetOperation": return outputSchema(p.left);
    case "Union": {
      const schemas = p.inputs.map(outputSchema);
      return schemas[0]!.map((f, i) => ({ ...f, nullable: schemas.some((s) => s[i]!.nullable) }));
    }
    case "Join": {
      const left = outputSchema(p.left), right = outputSchema(p.right);
      if (p.joinType === "left_semi" || p.joinType === "left_anti") return left;
      const nullLeft = p.joinType === "right" || p.joinType === "full";
      const nullRight = p.joinType === "left" || p.joinType === "full";
      return [
        ...left.map((f) => (nullLeft ? { ...f, nullable: true } : f)),
        ...right.map((f) => (nullRight ? { ...f, nullable: true } : f)),
      ];
    }
  }
}

/** A column expression that refers to `f`. */
export function columnRef(f: Field): Expr {
  const c: Expr = { type: "column", name: f.name, id: f.id, dataType: f.type, nullable: f.nullable };
  if (f.qualifier !== undefined) c.qualifier = f.qualifier;
  return c;
}

/** One line per node, as `explain()` prints it. */
export function describeNode(p: LogicalPlan): string {
  switch (p.type) {
    case "Scan": {
      const cols = (p.projection ? p.projection.map((i) => p.schema[i]!) : p.schema).map((f) => `${f.name}#${f.id}`);
      const parts = [`Scan ${describeSource(p.source)} [${cols.join(", ")}]`];
      if (p.filters.length) parts.push(`PushedFilters: [${p.filters.map(exprToString).join(", ")}]`);
      if (p.limit !== undefined) parts.push(`Limit: ${p.limit}`);
      return parts.join(" ");
    }
    case "Project": return `Project [${p.exprs.map(exprToString).join(", ")}]`;
    case "Filter": return `Filter ${exprToString(p.condition)}`;
    case "Aggregate": return `Aggregate [${p.groupBy.map(exprToString).join(", ")}], [${p.aggregates.map(exprToString).join(", ")}]`;
    case "Join": return `Join ${p.joinType}${p.condition ? ", " + exprToString(p.condition) : ""}`;
    case "Sort": return `Sort [${p.orders.map(sortOrderToString).join(", ")}]${p.global === false ? " within partitions" : ""}`;
    case "Limit": return `Limit ${p.limit}${p.offset ? ` OFFSET ${p.offset}` : ""}`;
    case "Union": return "Union";
    case "SetOperation": return `${p.op === "intersect" ? "Intersect" : "Except"}${p.all ? " All" : ""}`;
    case "Distinct": return "Distinct";
    case "Window": return `Window [${p.windowExprs.map(exprToString).join(", ")}]`;
    case "SubqueryAlias": return `SubqueryAlias ${p.alias}`;
    case "Hint": return `ResolvedHint ${p.name}`;
    case "Repartition": {
      const n = p.numPartitions ?? "shuffle.partitions";
      if (p.mode === "coalesce") return `Repartition ${n}, false`;
      if (p.mode === "roundRobin") return `Repartition ${n}, true`;
      const keys = p.mode === "hash" ? p.keys.map(exprToString) : p.orders.map(sortOrderToString);
      return `RepartitionByExpression [${keys.join(", ")}], ${n}`;
    }
  }
}

export function describeSource(s: DataSource): string {
  switch (s.kind) {
    case "memory": return `memory:${s.tableId}`;
    case "range": return `range(${s.start}, ${s.end}, ${s.step})`;
    case "parquet": return `parquet:${s.paths.length === 1 ? s.paths[0] : `${s.paths.length} files`}${s.warnings?.length ? ` (warning: ${s.warnings.join("; ")})` : ""}`;
    case "external": return `${s.format}:${s.id}`;
  }
}

/** Indented tree, one node per line. */
export function planToString(p: LogicalPlan, indent = 0): string {
  const line = `${indent === 0 ? "" : " ".repeat(indent * 3 - 3) + "+- "}${describeNode(p)}`;
  return [line, ...planChildren(p).map((c) => planToString(c, indent + 1))].join("\n");
}

/** Bottom-up plan rewrite. */
export function transformPlanUp(p: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  return f(withChildren(p, planChildren(p).map((c) => transformPlanUp(c, f))));
}

export function schemaToString(schema: Schema): string {
  return schema.map((f) => f.name).join(", ");
}
