/**
 * Predicate pushdown (Spark's PushDownPredicates, DataFusion's
 * PushDownFilter): a Filter's conjuncts move as far down as each may go, so
 * fewer rows reach joins, aggregates and shuffles, and the scan can skip
 * data. Through a Project (aliases substituted; never past a
 * non-deterministic or subquery output), Sort, Distinct, SubqueryAlias and
 * Hint; through an Aggregate or Window when a conjunct reads only grouping
 * or partitioning columns; into every Union input (ids remapped by
 * position); through a Join as its type allows; and finally into
 * `Scan.filters` of sources that can skip data with them (Parquet row-group
 * statistics, external sources), while the Filter stays above the scan
 * because those sources only skip, they do not filter exactly. Join
 * conditions are split the same way: a conjunct that reads one side only
 * moves into that side when the join type allows it.
 *
 * Conjuncts with a subquery or an outer reference never move (the columns
 * they read are hidden in the subquery's plan), nor do non-deterministic
 * ones. The rule runs top-down so a pushed Filter keeps moving in one pass.
 */
import type { Expr } from "../plan/expressions.ts";
import { exprToString, isAggregateOrWindow, referencedIds, splitConjuncts, conjunction } from "../plan/expressions.ts";
import type { LogicalPlan, PlanOf } from "../plan/logical-plan.ts";
import type { JoinType } from "../types/operations.ts";
import { columnRef, outputSchema } from "../plan/logical-plan.ts";
import type { OptimizerRule } from "./rule.ts";
import { filterOf, hasSubquery, isMovable, outputIds, stripAlias, substituteColumns } from "./plan-util.ts";

export const pushDownPredicates: OptimizerRule = {
  name: "push_down_predicates",
  applyOrder: "topDown",
  rewrite(plan: LogicalPlan): LogicalPlan {
    if (plan.type === "Filter") return pushFilter(plan);
    if (plan.type === "Join") return pushJoinCondition(plan);
    return plan;
  },
};

function pushFilter(f: PlanOf<"Filter">): LogicalPlan {
  const conjuncts = splitConjuncts(f.condition);
  const child = f.input;
  switch (child.type) {
    case "Project": {
      const byId = new Map<number, Expr>();
      for (const e of child.exprs) {
        const body = stripAlias(e);
        if (e.type === "alias" || e.type === "column") {
          const id = e.type === "alias" ? e.id : e.id!;
          if (isMovable(body) && !isAggregateOrWindow(body)) byId.set(id, body);
        }
      }
      const { moved, kept } = partition(conjuncts, (c) => readsOnly(c, byId));
      if (moved.length === 0) return f;
      const below = filterOf(child.input, moved.map((c) => substituteColumns(c, byId)));
      return filterOf({ ...child, input: below }, kept);
    }
    case "Sort": case "Distinct": case "SubqueryAlias": case "Hint": case "Repartition": {
      const { moved, kept } = partition(conjuncts, isMovable);
      if (moved.length === 0) return f;
      return filterOf({ ...child, input: filterOf(child.input, moved) }, kept);
    }
    case "Aggregate": {
      // With no grouping a filter on the single output row cannot go below (it would turn "no input rows" into a row).
      if (child.groupBy.length === 0) return f;
      const groupKeys = new Set(child.groupBy.map(exprToString));
      const byId = new Map<number, Expr>();
      for (const e of child.aggregates) {
        const body = stripAlias(e);
        const id = e.type === "alias" ? e.id : e.type === "column" ? e.id : undefined;
        if (id !== undefined && groupKeys.has(exprToString(body)) && isMovable(body)) byId.set(id, body);
      }
      const { moved, kept } = partition(conjuncts, (c) => readsOnly(c, byId));
      if (moved.length === 0) return f;
      const below = filterOf(child.input, moved.map((c) => substituteColumns(c, byId)));
      return filterOf({ ...child, input: below }, kept);
    }
    case "Window": {
      // Rows of other partitions do not change a window's values, so a filter on keys every window partitions by may go below.
      const common = commonPartitionIds(child);
      const { moved, kept } = partition(conjuncts, (c) => {
        const ids = referencedIds(c);
        return isMovable(c) && ids.size > 0 && [...ids].every((id) => common.has(id));
      });
      if (moved.length === 0) return f;
      return filterOf({ ...child, input: filterOf(child.input, moved) }, kept);
    }
    case "Union": {
      const { moved, kept } = partition(conjuncts, isMovable);
      if (moved.length === 0) return f;
      const outIds = outputSchema(child).map((x) => x.id);
      const inputs = child.inputs.map((input) => {
        const fields = outputSchema(input);
        const remap = new Map<number, Expr>(outIds.map((id, i) => [id, columnRef(fields[i]!)]));
        return filterOf(input, moved.map((c) => substituteColumns(c, remap)));
      });
      return filterOf({ ...child, inputs }, kept);
    }
    case "Join": return pushIntoJoin(conjuncts, child) ?? f;
    case "Scan": {
      if (child.source.kind !== "parquet" && child.source.kind !== "external") return f;
      const already = new Set(child.filters.map(exprToString));
      const fresh = conjuncts.filter((c) => isMovable(c) && referencedIds(c).size > 0 && !already.has(exprToString(c)));
      if (fresh.length === 0) return f;
      // The Filter stays: a source uses its filters only to skip data (row groups), not to drop every failing row.
      return { ...f, input: { ...child, filters: [...child.filters, ...fresh] } };
    }
    default: return f;
  }
}

/** Which side a WHERE conjunct over a join may move to, by join type (the other side's columns may be NULL-extended). */
const WHERE_TO_LEFT: ReadonlySet<JoinType> = new Set(["inner", "cross", "left", "left_semi", "left_anti"]);
const WHERE_TO_RIGHT: ReadonlySet<JoinType> = new Set(["inner", "cross", "right"]);
/** Which side a one-sided ON conjunct may move to: into the side whose unmatched rows the join drops. */
const ON_TO_LEFT: ReadonlySet<JoinType> = new Set(["inner", "cross", "right", "left_semi"]);
const ON_TO_RIGHT: ReadonlySet<JoinType> = new Set(["inner", "cross", "left", "left_semi", "left_anti"]);

function pushIntoJoin(conjuncts: Expr[], join: PlanOf<"Join">): LogicalPlan | null {
  const leftIds = outputIds(join.left), rightIds = outputIds(join.right);
  const toLeft: Expr[] = [], toRight: Expr[] = [], toCondition: Expr[] = [], kept: Expr[] = [];
  const innerLike = join.joinType === "inner" || join.joinType === "cross";
  for (const c of conjuncts) {
    const side = sideOf(c, leftIds, rightIds);
    if (!isMovable(c) || side === "none") kept.push(c);
    else if (side === "left" && WHERE_TO_LEFT.has(join.joinType)) toLeft.push(c);
    else if (side === "right" && WHERE_TO_RIGHT.has(join.joinType)) toRight.push(c);
    else if (side === "both" && innerLike) toCondition.push(c);
    else kept.push(c);
  }
  if (toLeft.length + toRight.length + toCondition.length === 0) return null;
  const condition = conjunction([...(join.condition ? [join.condition] : []), ...toCondition]);
  const joinType: JoinType = join.joinType === "cross" && condition ? "inner" : join.joinType;
  const pushed: LogicalPlan = { ...join, joinType, condition, left: filterOf(join.left, toLeft), right: filterOf(join.right, toRight) };
  return filterOf(pushed, kept);
}

function pushJoinCondition(join: PlanOf<"Join">): LogicalPlan {
  if (!join.condition) return join;
  const leftIds = outputIds(join.left), rightIds = outputIds(join.right);
  const toLeft: Expr[] = [], toRight: Expr[] = [], kept: Expr[] = [];
  for (const c of splitConjuncts(join.condition)) {
    const side = isMovable(c) ? sideOf(c, leftIds, rightIds) : "none";
    if (side === "left" && ON_TO_LEFT.has(join.joinType)) toLeft.push(c);
    else if (side === "right" && ON_TO_RIGHT.has(join.joinType)) toRight.push(c);
    else kept.push(c);
  }
  if (toLeft.length + toRight.length === 0) return join;
  return { ...join, condition: conjunction(kept), left: filterOf(join.left, toLeft), right: filterOf(join.right, toRight) };
}

function sideOf(c: Expr, leftIds: Set<number>, rightIds: Set<number>): "left" | "right" | "both" | "none" {
  if (hasSubquery(c)) return "none";
  const ids = [...referencedIds(c)];
  if (ids.length === 0) return "none";
  const inLeft = ids.every((id) => leftIds.has(id)), inRight = ids.every((id) => rightIds.has(id));
  if (inLeft) return "left";
  if (inRight) return "right";
  return ids.every((id) => leftIds.has(id) || rightIds.has(id)) ? "both" : "none";
}

/** True when `c` may move and reads at least one column, each of which `available` can supply. */
function readsOnly(c: Expr, available: ReadonlyMap<number, Expr>): boolean {
  if (!isMovable(c)) return false;
  const ids = referencedIds(c);
  return ids.size > 0 && [...ids].every((id) => available.has(id));
}

function commonPartitionIds(w: PlanOf<"Window">): Set<number> {
  const perWindow: Set<number>[] = [];
  for (const e of w.windowExprs) {
    const win = stripAlias(e);
    if (win.type !== "window") return new Set();
    perWindow.push(new Set(win.spec.partitionBy.flatMap((p) => (p.type === "column" && p.id !== undefined ? [p.id] : []))));
  }
  const [first, ...rest] = perWindow;
  return new Set([...(first ?? [])].filter((id) => rest.every((ids) => ids.has(id))));
}

function partition(conjuncts: Expr[], canMove: (c: Expr) => boolean): { moved: Expr[]; kept: Expr[] } {
  const moved: Expr[] = [], kept: Expr[] = [];
  for (const c of conjuncts) (canMove(c) ? moved : kept).push(c);
  return { moved, kept };
}
