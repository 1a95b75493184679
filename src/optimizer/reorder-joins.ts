/**
 * Join reordering by estimated cardinality, so that comma joins and JOIN
 * chains run in a sensible order whatever order the query lists the tables
 * (TPC-H lists them for readability, not speed). A chain of inner joins
 * (and a Filter directly above it) is flattened into its leaves and its
 * conjuncts; a left-deep tree is rebuilt greedily: start from the largest
 * leaf (the probe side of every hash join, which builds the right side),
 * then repeatedly add the leaf connected to the tree by a predicate whose
 * join has the smallest estimated output (see the size model below), so a
 * cross join happens only where no predicate connects the remaining tables. Each conjunct sits on the lowest join that sees all its
 * columns. Conjuncts common to every branch of an OR are also factored out
 * (TPC-H Q19 repeats its join key in each branch), so they can be join keys.
 * A Project restores the chain's original column order. Two tables keep
 * their order (the physical planner picks the build side); only their
 * conjuncts are placed.
 *
 * It walks the tree itself (`applyOrder: "self"`) to act only on the top of
 * each chain, and returns the very same plan when the order it would build
 * is the one already there, which keeps the optimizer's fixed point.
 */
import type { Expr } from "../plan/expressions.ts";
import { conjunction, exprToString, referencedIds, splitConjuncts } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { columnRef, outputSchema, planChildren, planToString, withChildren } from "../plan/logical-plan.ts";
import { estimateStatistics } from "../plan/statistics.ts";
import type { OptimizerRule } from "./rule.ts";
import { isMovable } from "./plan-util.ts";

export const reorderJoins: OptimizerRule = {
  name: "reorder_joins",
  applyOrder: "self",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return visit(plan);
  },
};

const isInnerChain = (p: LogicalPlan): p is Extract<LogicalPlan, { type: "Join" }> =>
  p.type === "Join" && (p.joinType === "inner" || p.joinType === "cross");

/**
 * Each node's result, by identity. A chain's leaves are visited once to be reordered and once more to
 * rebuild the chain as it stands (for the comparison), so without this a stack of n chains, one inside
 * the other's leaf (an iterative job's join per step), took 2^n visits: 14 steps spent 560 ms here.
 * Plans are immutable, so a node's result never changes.
 */
const visited = new WeakMap<LogicalPlan, LogicalPlan>();

function visit(p: LogicalPlan): LogicalPlan {
  const known = visited.get(p);
  if (known) return known;
  const out = isInnerChain(p) || (p.type === "Filter" && isInnerChain(p.input)) ? reorderChain(p) : withChildren(p, planChildren(p).map(visit));
  visited.set(p, out);
  return out;
}

function flatten(p: LogicalPlan, leaves: LogicalPlan[], conjuncts: Expr[]): void {
  if (isInnerChain(p)) {
    flatten(p.left, leaves, conjuncts);
    flatten(p.right, leaves, conjuncts);
    if (p.condition) conjuncts.push(...splitConjuncts(p.condition));
    return;
  }
  leaves.push(visit(p));
}

/** The branches of a chain of ORs. */
function orBranches(e: Expr): Expr[] {
  return e.type === "binary" && e.op === "or" ? [...orBranches(e.left), ...orBranches(e.right)] : [e];
}

/** `(a AND x) OR (a AND y)` also implies `a`: returns such common conjuncts. */
function commonFromOr(e: Expr): Expr[] {
  if (!(e.type === "binary" && e.op === "or")) return [];
  const branches = orBranches(e);
  const sets = branches.map((b) => new Map(splitConjuncts(b).map((c) => [exprToString(c), c])));
  return [...sets[0]!.entries()].filter(([k]) => sets.every((s) => s.has(k))).map(([, c]) => c);
}

function reorderChain(top: LogicalPlan): LogicalPlan {
  const leaves: LogicalPlan[] = [];
  const conjuncts: Expr[] = [];
  const kept: Expr[] = []; // Filter conjuncts that must not move (subqueries, non-deterministic)
  if (top.type === "Filter") {
    for (const c of splitConjuncts(top.condition)) (isMovable(c) ? conjuncts : kept).push(c);
    flatten(top.input, leaves, conjuncts);
  } else flatten(top, leaves, conjuncts);
  // `(a AND x) OR (a AND y)` becomes `a AND (x OR y)` (Spark's
  // BooleanSimplification), the OR losing what was factored out of it.
  // Merely adding `a` next to the unchanged OR made every optimizer pass
  // factor it again: a one-table `a`, pushed into its leaf, was stacked up
  // there as one more Filter per pass (three copies in TPC-H Q19).
  const seen = new Set(conjuncts.map(exprToString));
  for (const [i, c] of [...conjuncts].entries()) {
    const commons = commonFromOr(c);
    if (commons.length === 0) continue;
    const common = new Set(commons.map(exprToString));
    const branches = orBranches(c).map((b) => conjunction(splitConjuncts(b).filter((x) => !common.has(exprToString(x)))));
    // A branch left empty is TRUE, and so is the whole OR.
    conjuncts[i] = branches.every((b) => b !== null) ? branches.reduce((l, r): Expr => ({ type: "binary", op: "or", left: l!, right: r! }))! : commons[0]!;
    for (const x of commons) {
      const key = exprToString(x);
      if (!seen.has(key)) { seen.add(key); conjuncts.push(x); }
    }
  }
  // The OR's replacement may repeat a factored conjunct (when a branch was nothing else).
  const unique = new Map(conjuncts.map((x) => [exprToString(x), x]));
  conjuncts.length = 0;
  conjuncts.push(...unique.values());

  const leafIds = leaves.map((l) => new Set(outputSchema(l).map((f) => f.id)));
  const refs = conjuncts.map((c) => referencedIds(c));
  const leafOf = (id: number) => leafIds.findIndex((s) => s.has(id));
  const conjunctLeaves = refs.map((r) => new Set([...r].map(leafOf)));
  // A conjunct reading a column no leaf produces stays above the joins.
  const placeable = conjunctLeaves.map((s) => !s.has(-1));

  // Conjuncts reading one leaf filter that leaf first.
  const leafFilters: Expr[][] = leaves.map(() => []);
  const done = new Array<boolean>(conjuncts.length).fill(false);
  conjunctLeaves.forEach((s, i) => {
    if (placeable[i] && s.size === 1) { leafFilters[[...s][0]!]!.push(conjuncts[i]!); done[i] = true; }
  });

  // Join-size model without column statistics: an equi-join on a.x = b.y keeps
  // |A'| * |B'| / max(ndv(x), ndv(y)) rows, |A'| being A after its own
  // filters. It is taken to be a key/foreign-key join whose key is in the
  // table with fewer rows before filtering: ndv(key) = that count, and the
  // foreign key cannot have more values, so max(ndv) = min(|A|, |B|). A
  // lineitem join with a filtered orders then keeps the filter's share of
  // lineitem, and one with an unfiltered supplier keeps all of it (taking
  // every join column as a key of its own table, as before, made
  // l_suppkey = s_suppkey look 600x selective and put it ahead of the
  // filtered dimensions in Q5 and Q9). The most selective equi-conjunct
  // counts; others are assumed correlated with it.
  const leafPlan = (i: number): LogicalPlan => {
    const cond = conjunction(leafFilters[i]!);
    return cond ? { type: "Filter", input: leaves[i]!, condition: cond } : leaves[i]!;
  };
  const rows = leaves.map((_, i) => estimateStatistics(leafPlan(i)).rowCount);
  const base = leaves.map(unfilteredRows);
  const equiSides = conjuncts.map((c): [Set<number>, Set<number>] | null => {
    if (!(c.type === "binary" && c.op === "=")) return null;
    const l = new Set([...referencedIds(c.left)].map(leafOf)), r = new Set([...referencedIds(c.right)].map(leafOf));
    return l.size === 1 && r.size === 1 && !l.has(-1) && !r.has(-1) && [...l][0] !== [...r][0] ? [l, r] : null;
  });
  const order: number[] = [];
  const picked = new Set<number>();
  // Two tables keep their order (the physical planner picks the build side);
  // their conjuncts are still placed and OR-factored.
  let first = 0;
  if (leaves.length > 2) rows.forEach((r, i) => { if (r > rows[first]!) first = i; });
  order.push(first); picked.add(first);
  let estimate = rows[first]!;
  while (order.length < leaves.length) {
    let best = -1, bestRows = Infinity;
    for (let i = 0; i < leaves.length; i++) {
      if (picked.has(i)) continue;
      let connected = false, selectivity = 1;
      conjunctLeaves.forEach((s, c) => {
        if (done[c] || !placeable[c] || s.size < 2 || !s.has(i) || ![...s].every((l) => l === i || picked.has(l))) return;
        connected = true;
        const sides = equiSides[c];
        if (sides) {
          const [a, b] = [[...sides[0]][0]!, [...sides[1]][0]!];
          selectivity = Math.min(selectivity, 1 / Math.max(1, Math.min(base[a]!, base[b]!)));
        }
      });
      // An unconnected leaf is a cross join: never preferred over a connected one.
      const out = leaves.length <= 2 ? 0 : connected ? estimate * rows[i]! * selectivity : Infinity;
      if (best < 0 || out < bestRows || (out === bestRows && rows[i]! < rows[best]!)) { best = i; bestRows = out; }
    }
    order.push(best); picked.add(best);
    estimate = Number.isFinite(bestRows) ? Math.max(1, bestRows) : estimate * rows[best]!;
  }

  let tree = leafPlan(order[0]!);
  const available = new Set([order[0]!]);
  for (const i of order.slice(1)) {
    available.add(i);
    const here: Expr[] = [];
    conjunctLeaves.forEach((s, c) => {
      if (!done[c] && placeable[c] && [...s].every((l) => available.has(l))) { here.push(conjuncts[c]!); done[c] = true; }
    });
    const condition = conjunction(here);
    tree = { type: "Join", left: tree, right: leafPlan(i), joinType: condition ? "inner" : "cross", condition };
  }
  const remaining = [...conjuncts.filter((_, c) => !done[c]), ...kept];
  const rest = conjunction(remaining);
  if (rest) tree = { type: "Filter", input: tree, condition: rest };

  const current = withChildren(top, planChildren(top).map(visitKeepChain));
  if (planToString(tree) === planToString(current)) return current;
  const before = outputSchema(top), after = outputSchema(tree);
  if (before.length === after.length && before.every((f, i) => f.id === after[i]!.id)) return tree;
  return { type: "Project", input: tree, exprs: before.map(columnRef) };
}

/** The chain as it stands, with only its leaves visited: what `reorderChain` compares against. */
function visitKeepChain(p: LogicalPlan): LogicalPlan {
  if (isInnerChain(p)) return withChildren(p, planChildren(p).map(visitKeepChain));
  return visit(p);
}

/** Rows of a leaf before its filters: through Filters, Projects and aliases down to the scan. */
function unfilteredRows(p: LogicalPlan): number {
  switch (p.type) {
    case "Filter": case "Project": case "SubqueryAlias": return unfilteredRows(p.input);
    case "Scan": return estimateStatistics({ ...p, filters: [] }).rowCount;
    default: return estimateStatistics(p).rowCount;
  }
}
