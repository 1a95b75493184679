/**
 * Column pruning (DataFusion's OptimizeProjections, Spark's ColumnPruning):
 * computes, from the root down, which attribute ids each node's parent
 * reads, narrows `Scan.projection` to them (so Parquet reads fewer column
 * chunks and memory scans pass fewer vectors), drops Project expressions
 * nobody reads, and puts a narrowing Project above a join or sort input
 * that still carries columns nobody above reads (they would be shuffled,
 * hashed or buffered for nothing). A node's output only ever loses columns
 * no parent reads; the root's output is never touched. Distinct and set
 * operations need every input column, aggregates and window functions keep
 * all their outputs.
 *
 * The requirement flows from the root down through every node, so this rule
 * walks the tree itself (`applyOrder: "self"`), like DataFusion's rule.
 */
import type { Expr } from "../plan/expressions.ts";
import { referencedIds } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { columnRef, fieldOf, outputSchema, planExpressions, withChildren } from "../plan/logical-plan.ts";
import type { Field } from "../types/data-types.ts";
import type { OptimizerRule } from "./rule.ts";
import { hasSubquery } from "./plan-util.ts";

export const pruneColumns: OptimizerRule = {
  name: "prune_columns",
  applyOrder: "self",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return prune(plan, new Set(outputSchema(plan).map((f) => f.id)));
  },
};

/** `p` rewritten so that its output still holds every id in `required` (and may have lost others). */
function prune(p: LogicalPlan, required: ReadonlySet<number>): LogicalPlan {
  switch (p.type) {
    case "Scan": return pruneScan(p, required);
    case "Project": {
      let kept = p.exprs.filter((e) => required.has(fieldOf(e).id));
      // Something must stay for the row count to survive (count(*) reads no column), unless nothing was
      // there to begin with: the empty Project this rule puts over a join feeding an aggregate (below).
      if (kept.length === 0 && p.exprs.length > 0) kept = [p.exprs.find((e) => e.type === "column") ?? p.exprs[0]!];
      const input = prune(p.input, needs(kept, p.input, new Set()));
      return kept.length === p.exprs.length && input === p.input ? p : { ...p, input, exprs: kept };
    }
    case "Filter": case "Limit": case "SubqueryAlias": case "Hint":
      return withChildren(p, [prune(p.input, needs(planExpressions(p), p.input, required))]);
    case "Sort": case "Repartition": {
      const need = needs(planExpressions(p), p.input, required);
      return withChildren(p, [narrow(prune(p.input, need), need)]);
    }
    case "Distinct": return withChildren(p, [prune(p.input, allOf(p.input))]);
    case "Aggregate": {
      const need = needs(planExpressions(p), p.input, new Set());
      return withChildren(p, [projectJoin(prune(p.input, need), need)]);
    }
    case "Window": {
      const inputIds = new Set(outputSchema(p.input).map((f) => f.id));
      const passed = new Set([...required].filter((id) => inputIds.has(id)));
      return withChildren(p, [prune(p.input, needs(p.windowExprs, p.input, passed))]);
    }
    case "Join": {
      const leftIds = new Set(outputSchema(p.left).map((f) => f.id));
      const semi = p.joinType === "left_semi" || p.joinType === "left_anti";
      const condition = p.condition ? [p.condition] : [];
      const fromLeft = needs(condition, p.left, new Set([...required].filter((id) => leftIds.has(id))));
      const fromRight = needs(condition, p.right, semi ? new Set() : new Set([...required].filter((id) => !leftIds.has(id))));
      return withChildren(p, [narrow(prune(p.left, fromLeft), fromLeft), narrow(prune(p.right, fromRight), fromRight)]);
    }
    case "Union": return pruneUnion(p, required);
    case "SetOperation": return withChildren(p, [prune(p.left, allOf(p.left)), prune(p.right, allOf(p.right))]);
  }
}

/**
 * Ids `input` must supply: what the parent reads through the node (`passed`)
 * plus what the node's own expressions read. Expressions with subqueries
 * read columns we cannot see, so they keep the whole input.
 */
function needs(exprs: readonly Expr[], input: LogicalPlan, passed: ReadonlySet<number>): Set<number> {
  if (exprs.some(hasSubquery)) return allOf(input);
  const ids = new Set(passed);
  for (const e of exprs) referencedIds(e, ids);
  return ids;
}

function allOf(p: LogicalPlan): Set<number> {
  return new Set(outputSchema(p).map((f) => f.id));
}

function pruneScan(p: Extract<LogicalPlan, { type: "Scan" }>, required: ReadonlySet<number>): LogicalPlan {
  // A range source always produces its one column whatever the projection says.
  if (p.source.kind === "range") return p;
  const current = p.projection ?? p.schema.map((_, i) => i);
  const need = new Set(required);
  for (const f of p.filters) referencedIds(f, need);
  let projection = current.filter((i) => need.has(p.schema[i]!.id));
  // Parquet yields row counts from its footers with no column at all (count(*) fetches no column chunk).
  if (projection.length === 0 && current.length > 0 && p.source.kind !== "parquet") {
    // Keep the narrowest column so the scan still yields its row count.
    projection = [current.reduce((best, i) => (width(p.schema[i]!) < width(p.schema[best]!) ? i : best))];
  }
  return projection.length === current.length ? p : { ...p, projection };
}

/** Rough bytes a value of the column takes (strings guessed, as in statistics.ts). */
function width(f: Field): number {
  switch (f.type.kind) {
    case "boolean": case "int8": case "uint8": return 1;
    case "int16": case "uint16": return 2;
    case "int32": case "uint32": case "float32": case "date32": return 4;
    case "utf8": return 20;
    default: return 8;
  }
}

/**
 * Puts a Project keeping only `need` above a join or sort input that still
 * carries other columns. Inputs that narrow themselves (Scan, Project) never
 * need one; a broadcast hint stays directly above its plan, where the
 * physical planner looks for it.
 */
function narrow(p: LogicalPlan, need: ReadonlySet<number>): LogicalPlan {
  if (need.size === 0) return p;
  if (p.type === "Hint" || p.type === "SubqueryAlias") return withChildren(p, [narrow(p.input, need)]);
  const fields = outputSchema(p);
  if (fields.every((f) => need.has(f.id))) return p;
  const exprs = fields.filter((f) => need.has(f.id)).map(columnRef);
  return exprs.length === 0 ? p : { type: "Project", input: p, exprs };
}

/**
 * A join still outputs its key columns (it reads them) even when nothing
 * above does. Under an aggregate, a Project of just the columns the
 * aggregate reads (none, for count(*)) goes over the join; the physical
 * planner folds it into the hash join, which then gathers only those
 * (late materialization: a joined count gathers no column at all). Only
 * directly under an aggregate, so Projects never come between the joins
 * join reordering works on, and never feed a zero-column batch to an
 * operator other than an aggregate.
 */
function projectJoin(p: LogicalPlan, need: ReadonlySet<number>): LogicalPlan {
  if (p.type === "Join") {
    const fields = outputSchema(p);
    if (fields.every((f) => need.has(f.id))) return p;
    return { type: "Project", input: p, exprs: fields.filter((f) => need.has(f.id)).map(columnRef) };
  }
  // A Project over the join (a USING join's) keeps a column for the row count; the join keeps it anyway.
  if (p.type === "Project" && p.input.type === "Join" && p.exprs.every((e) => e.type === "column")) {
    const kept = p.exprs.filter((e) => need.has(fieldOf(e).id));
    return kept.length === p.exprs.length ? p : { ...p, exprs: kept };
  }
  return p;
}

/** Union columns are positional: every input keeps the same positions, those whose output id is read. */
function pruneUnion(p: Extract<LogicalPlan, { type: "Union" }>, required: ReadonlySet<number>): LogicalPlan {
  const out = outputSchema(p);
  let positions = out.flatMap((f, i) => (required.has(f.id) ? [i] : []));
  if (positions.length === 0) positions = [0];
  const inputs = p.inputs.map((input) => {
    const fields = outputSchema(input);
    const wanted = positions.map((i) => fields[i]!);
    const pruned = prune(input, new Set(wanted.map((f) => f.id)));
    const got = outputSchema(pruned);
    const exact = got.length === wanted.length && got.every((f, i) => f.id === wanted[i]!.id);
    return exact ? pruned : { type: "Project" as const, input: pruned, exprs: wanted.map(columnRef) };
  });
  return withChildren(p, inputs);
}
