/**
 * Physical planning: turns an optimized logical plan into operators and
 * Exchanges. This is where Spark's strategies live: aggregation becomes
 * partial -> shuffle -> final, a join becomes a broadcast hash join when one
 * side is estimated under `autoBroadcastJoinThreshold` (or hinted),
 * otherwise a shuffled hash join; a sort, a window or a limit gets the
 * distribution it needs. An input that is already a single partition
 * satisfies every distribution, so small local data is never shuffled.
 */
import type { ConfigValues } from "../common/config.ts";
import { AnalysisError, InternalError, UnsupportedError } from "../common/errors.ts";
import type { Expr, SortOrder } from "../plan/expressions.ts";
import type { AggregateFn, WindowFrame } from "../types/operations.ts";
import { defaultName, exprToString, newExprId, referencedIds, splitConjuncts, conjunction, transformDown, transformUp, sortOrderToString } from "../plan/expressions.ts";
import { exprNullable, exprType } from "../plan/expression-types.ts";
import type { LogicalPlan, PlanOf } from "../plan/logical-plan.ts";
import { columnRef, fieldOf, outputSchema } from "../plan/logical-plan.ts";
import type { DataType, Field } from "../types/data-types.ts";
import { BOOLEAN, INT64, typeEquals, typeToString } from "../types/data-types.ts";
import { aggregateResultType } from "../plan/expression-types.ts";
import { estimateStatistics } from "../plan/statistics.ts";
import type { AggregateCall, Partitioning, PhysicalPlan, WindowCall } from "./physical-plan.ts";
import { numPartitions } from "./physical-plan.ts";
import { clusteredOn, partitionedExactlyOn } from "./output-partitioning.ts";

let nextExchangeId = 1;

/** Replaces resolved column references by ordinals of `schema`. */
export function bind(e: Expr, schema: readonly Field[]): Expr {
  return transformUp(e, (x) => {
    if (x.type === "column") {
      const index = schema.findIndex((f) => f.id === x.id);
      if (index < 0) throw new InternalError(`column ${exprToString(x)} is not in the input [${schema.map((f) => `${f.name}#${f.id}`).join(", ")}]`);
      return { type: "boundRef", index, dataType: schema[index]!.type, nullable: schema[index]!.nullable };
    }
    if (x.type === "scalarSubquery" || x.type === "exists" || x.type === "inSubquery" || x.type === "outerRef") {
      throw new UnsupportedError(`this subquery could not be turned into a join: ${exprToString(x)}`);
    }
    return x;
  });
}

function bindOrder(o: SortOrder, schema: readonly Field[]): SortOrder {
  return { ...o, expr: bind(o.expr, schema) };
}

export class PhysicalPlanner {
  constructor(private readonly config: ConfigValues) {}

  plan(p: LogicalPlan): PhysicalPlan {
    switch (p.type) {
      case "Scan": {
        const s = p.source;
        const parts = s.kind === "memory" || s.kind === "range" ? s.numPartitions : (s.options?.numPartitions as number | undefined) ?? 1;
        const node: PhysicalPlan = { type: "ScanExec", schema: outputSchema(p), source: s, sourceSchema: p.schema, projection: p.projection, filters: p.filters, numPartitions: parts };
        if (p.limit !== undefined) node.limit = p.limit;
        const most = this.config["scan.maxPartitions"];
        if (s.kind !== "memory" && s.kind !== "range" && most > 0 && parts > most) return { type: "CoalesceExec", input: node, numPartitions: most, schema: node.schema };
        return node;
      }
      case "Project": {
        const input = this.plan(p.input);
        const exprs = p.exprs.map((e) => bind(e, input.schema));
        // Plain columns of a join: the join emits just those, so it gathers nothing else (late materialization).
        if ((input.type === "HashJoinExec" || input.type === "SortMergeJoinExec") && input.projection === undefined && exprs.every((e) => e.type === "boundRef")) {
          return { ...input, projection: exprs.map((e) => (e as Extract<Expr, { type: "boundRef" }>).index), schema: outputSchema(p) };
        }
        return { type: "ProjectExec", input, exprs, schema: outputSchema(p) };
      }
      case "Filter": {
        const input = this.plan(p.input);
        return { type: "FilterExec", input, predicate: bind(p.condition, input.schema), schema: input.schema };
      }
      case "SubqueryAlias": case "Hint": return this.plan(p.input);
      case "Aggregate": return this.planAggregate(p);
      case "Distinct": {
        const cols = outputSchema(p.input).map(columnRef);
        return this.planAggregate({ type: "Aggregate", input: p.input, groupBy: cols, aggregates: cols });
      }
      case "Join": return this.planJoin(p);
      case "Sort": {
        // A multi-partition input is range-partitioned on the sort keys (Spark's global sort), then each partition is sorted.
        const planned = this.plan(p.input);
        const orders = p.orders.map((o) => bindOrder(o, planned.schema));
        const input = numPartitions(planned) === 1 || p.global === false ? planned : this.exchange(planned, { kind: "range", orders, numPartitions: this.partitions() });
        return { type: "SortExec", input, orders, schema: input.schema };
      }
      case "Limit": return this.planLimit(p);
      case "Union": {
        const inputs = p.inputs.map((c) => this.plan(c));
        return { type: "UnionExec", inputs, schema: outputSchema(p) };
      }
      case "Window": return this.planWindow(p);
      case "Repartition": return this.planRepartition(p);
      case "SetOperation":
        throw new UnsupportedError(`${p.op.toUpperCase()} must be rewritten by the optimizer before planning`);
    }
  }

  /** A user's repartition always shuffles, even a single partition (as Spark does); coalesce never does. */
  private planRepartition(p: PlanOf<"Repartition">): PhysicalPlan {
    const input = this.plan(p.input);
    const n = p.numPartitions ?? this.partitions();
    switch (p.mode) {
      case "coalesce": return { type: "CoalesceExec", input, numPartitions: Math.min(n, numPartitions(input)), schema: input.schema };
      case "roundRobin": return this.exchange(input, { kind: "roundRobin", numPartitions: n });
      case "hash": return this.exchange(input, { kind: "hash", keys: p.keys.map((k) => bind(k, input.schema)), numPartitions: n });
      case "range": return this.exchange(input, { kind: "range", orders: p.orders.map((o) => bindOrder(o, input.schema)), numPartitions: n });
    }
  }

  private partitions(): number {
    return Math.max(1, Math.floor(this.config["shuffle.partitions"]));
  }

  private exchange(input: PhysicalPlan, partitioning: Partitioning): PhysicalPlan {
    return { type: "ShuffleExchangeExec", input, partitioning, exchangeId: nextExchangeId++, schema: input.schema };
  }

  /** The input gathered into one partition (no-op when it already is one). */
  private single(input: PhysicalPlan): PhysicalPlan {
    return numPartitions(input) === 1 ? input : this.exchange(input, { kind: "single" });
  }

  /**
   * The input hash-partitioned on `keys` (bound to its schema), or gathered when there are none; as it is
   * when an Exchange below already placed its rows by a subset of the keys (Spark's EnsureRequirements).
   */
  private clustered(input: PhysicalPlan, keys: Expr[], forceShuffle = false): PhysicalPlan {
    if (numPartitions(input) === 1 && !forceShuffle) return input;
    if (!forceShuffle && keys.length > 0 && clusteredOn(input, keys)) return input;
    if (keys.length === 0) return this.single(input);
    return this.exchange(input, { kind: "hash", keys, numPartitions: this.partitions() });
  }

  private planAggregate(p: PlanOf<"Aggregate">): PhysicalPlan {
    const input = this.plan(p.input);
    const groupFields: Field[] = p.groupBy.map((g) => ({ name: defaultName(g), type: exprType(g), nullable: exprNullable(g), id: newExprId() }));
    const calls: Extract<Expr, { type: "aggregate" }>[] = [];
    const callIndex = new Map<string, number>();
    for (const out of p.aggregates) {
      transformDown(out, (x) => {
        if (x.type !== "aggregate") return undefined;
        const key = exprToString(x);
        if (!callIndex.has(key)) { callIndex.set(key, calls.length); calls.push(x); }
        return x;
      });
    }
    const aggFields: Field[] = calls.map((c) => ({ name: defaultName(c), type: exprType(c), nullable: exprNullable(c), id: newExprId() }));
    const toCall = (c: Extract<Expr, { type: "aggregate" }>, schema: readonly Field[]): AggregateCall => {
      const argType = c.args[0] ? exprType(c.args[0]) : undefined;
      return {
        fn: c.fn, distinct: c.distinct, arg: c.args[0] ? bind(c.args[0], schema) : null,
        resultType: aggregateResultType(c.fn, argType), stateTypes: stateTypes(c.fn, argType),
      };
    };
    const groupBy = p.groupBy.map((g) => bind(g, input.schema));
    const aggSchema = [...groupFields, ...aggFields];
    let aggregated: PhysicalPlan;
    // Rows already placed by (a subset of) the grouping keys, by a repartition or a join below: one complete
    // aggregation per partition, with no partial step and no shuffle.
    if (numPartitions(input) === 1 || calls.some((c) => c.distinct) || clusteredOn(input, groupBy)) {
      const clustered = this.clustered(input, groupBy);
      aggregated = { type: "HashAggregateExec", input: clustered, mode: "complete", groupBy, aggregates: calls.map((c) => toCall(c, input.schema)), schema: aggSchema };
    } else {
      const aggregates = calls.map((c) => toCall(c, input.schema));
      const stateFields: Field[] = aggregates.flatMap((a, i) => a.stateTypes.map((t, k) => ({ name: `${aggFields[i]!.name}_state${k}`, type: t, nullable: true, id: newExprId() })));
      const partialSchema = [...groupFields, ...stateFields];
      const partial: PhysicalPlan = { type: "HashAggregateExec", input, mode: "partial", groupBy, aggregates, schema: partialSchema };
      const keys = groupFields.map((f, i): Expr => ({ type: "boundRef", index: i, dataType: f.type, nullable: f.nullable }));
      const shuffled = this.clustered(partial, keys, true);
      aggregated = { type: "HashAggregateExec", input: shuffled, mode: "final", groupBy: keys, aggregates, schema: aggSchema };
    }
    // The output expressions read grouping keys and aggregate results by position.
    const groupKeys = p.groupBy.map(exprToString);
    const outputs = p.aggregates.map((out) => transformDown(out, (x) => {
      if (x.type === "alias") return undefined;
      const g = groupKeys.indexOf(exprToString(x));
      if (g >= 0) return columnRef(groupFields[g]!);
      if (x.type === "aggregate") return columnRef(aggFields[callIndex.get(exprToString(x))!]!);
      return undefined;
    }));
    return { type: "ProjectExec", input: aggregated, exprs: outputs.map((e) => bind(e, aggSchema)), schema: p.aggregates.map(fieldOf) };
  }

  private planJoin(p: PlanOf<"Join">): PhysicalPlan {
    const left = this.plan(p.left), right = this.plan(p.right);
    const leftIds = new Set(left.schema.map((f) => f.id)), rightIds = new Set(right.schema.map((f) => f.id));
    const leftKeys: Expr[] = [], rightKeys: Expr[] = [], residual: Expr[] = [];
    for (const c of p.condition ? splitConjuncts(p.condition) : []) {
      if (c.type === "binary" && (c.op === "=" || c.op === "<=>")) {
        const l = referencedIds(c.left), r = referencedIds(c.right);
        const within = (ids: Set<number>, side: Set<number>) => ids.size > 0 && [...ids].every((id) => side.has(id));
        const pair = within(l, leftIds) && within(r, rightIds) ? [c.left, c.right] : within(l, rightIds) && within(r, leftIds) ? [c.right, c.left] : null;
        if (pair && c.op === "=") { leftKeys.push(pair[0]!); rightKeys.push(pair[1]!); continue; }
        if (pair && nullSafeKeys(pair[0]!, pair[1]!, leftKeys, rightKeys)) continue;
      }
      residual.push(c);
    }
    leftKeys.forEach((k, i) => {
      const lt = exprType(k), rt = exprType(rightKeys[i]!);
      if (lt.kind !== rt.kind) {
        throw new AnalysisError("DATATYPE_MISMATCH", `join keys ${exprToString(k)} (${typeToString(lt)}) and ${exprToString(rightKeys[i]!)} (${typeToString(rt)}) have different types; cast one side`);
      }
    });
    const joinedSchema = [...left.schema, ...right.schema];
    const schema = p.joinType === "left_semi" || p.joinType === "left_anti" ? left.schema : outputSchema(p);
    const rest = conjunction(residual);
    const condition = rest ? bind(rest, joinedSchema) : null;
    const threshold = this.config.autoBroadcastJoinThreshold;
    const hinted = (side: LogicalPlan) => side.type === "Hint" || (side.type === "SubqueryAlias" && side.input.type === "Hint");
    const small = (side: LogicalPlan) => hinted(side) || estimateStatistics(side).sizeBytes <= threshold;
    const canBuildRight = p.joinType !== "right" && p.joinType !== "full";
    const canBuildLeft = p.joinType === "inner" || p.joinType === "right" || p.joinType === "cross";

    if (leftKeys.length === 0) {
      // No equi-keys: a nested-loop join with one side broadcast (Spark's BroadcastNestedLoopJoin).
      if (p.joinType === "full") {
        return { type: "NestedLoopJoinExec", left: this.single(left), right: this.single(right), joinType: p.joinType, condition, buildSide: "right", schema };
      }
      const buildSide = canBuildRight ? "right" : "left";
      const build = buildSide === "right" ? right : left;
      const broadcastBuild: PhysicalPlan = { type: "BroadcastExchangeExec", input: build, exchangeId: nextExchangeId++, schema: build.schema };
      return buildSide === "right"
        ? { type: "NestedLoopJoinExec", left, right: broadcastBuild, joinType: p.joinType, condition, buildSide, schema }
        : { type: "NestedLoopJoinExec", left: broadcastBuild, right, joinType: p.joinType, condition, buildSide, schema };
    }

    const boundLeftKeys = leftKeys.map((k) => bind(k, left.schema));
    const boundRightKeys = rightKeys.map((k) => bind(k, right.schema));
    const base = { joinType: p.joinType, leftKeys: boundLeftKeys, rightKeys: boundRightKeys, condition, schema };
    const bothSingle = numPartitions(left) === 1 && numPartitions(right) === 1;
    if (!bothSingle) {
      const rightSmall = canBuildRight && small(p.right);
      const leftSmall = canBuildLeft && small(p.left);
      let buildSide: "left" | "right" | null = null;
      if (rightSmall && leftSmall) buildSide = estimateStatistics(p.left).sizeBytes < estimateStatistics(p.right).sizeBytes && !hinted(p.right) ? "left" : "right";
      else if (rightSmall) buildSide = "right";
      else if (leftSmall) buildSide = "left";
      if (buildSide === "right") {
        return { type: "HashJoinExec", ...base, left, right: { type: "BroadcastExchangeExec", input: right, exchangeId: nextExchangeId++, schema: right.schema }, buildSide, broadcast: true };
      }
      if (buildSide === "left") {
        return { type: "HashJoinExec", ...base, left: { type: "BroadcastExchangeExec", input: left, exchangeId: nextExchangeId++, schema: left.schema }, right, buildSide, broadcast: true };
      }
    }
    const [leftIn, rightIn] = bothSingle ? [left, right] : this.coPartitioned(left, boundLeftKeys, right, boundRightKeys);
    if (this.config["join.preferSortMerge"] === 1) return { type: "SortMergeJoinExec", ...base, left: leftIn, right: rightIn };
    // One partition each (a one-thread run): build the smaller side, as a broadcast join would.
    const buildLeft = p.joinType === "right" || (bothSingle && canBuildLeft && canBuildRight && !hinted(p.right)
      && (hinted(p.left) || estimateStatistics(p.left).sizeBytes < estimateStatistics(p.right).sizeBytes));
    return { type: "HashJoinExec", ...base, left: leftIn, right: rightIn, buildSide: buildLeft ? "left" : "right", broadcast: false };
  }

  /**
   * Both join sides hash-partitioned on their keys into the same number of partitions. A side already
   * partitioned that way keeps its placement, and the other side is shuffled to match it (Spark's
   * EnsureRequirements); only when neither is are both shuffled into `shuffle.partitions`.
   */
  private coPartitioned(left: PhysicalPlan, leftKeys: Expr[], right: PhysicalPlan, rightKeys: Expr[]): [PhysicalPlan, PhysicalPlan] {
    const l = partitionedExactlyOn(left, leftKeys), r = partitionedExactlyOn(right, rightKeys);
    if (l && r && l.numPartitions === r.numPartitions) return [left, right];
    const n = l?.numPartitions ?? r?.numPartitions ?? this.partitions();
    return [
      l?.numPartitions === n ? left : this.exchange(left, { kind: "hash", keys: leftKeys, numPartitions: n }),
      r?.numPartitions === n ? right : this.exchange(right, { kind: "hash", keys: rightKeys, numPartitions: n }),
    ];
  }

  private planLimit(p: PlanOf<"Limit">): PhysicalPlan {
    const total = p.limit + p.offset;
    let sortNode: PlanOf<"Sort"> | null = null;
    let project: PlanOf<"Project"> | null = null;
    // A top-k needs a total order; under a sort within partitions a limit takes any rows, as it would unsorted.
    if (p.input.type === "Sort" && p.input.global !== false) sortNode = p.input;
    else if (p.input.type === "Project" && p.input.input.type === "Sort" && p.input.input.global !== false) { project = p.input; sortNode = p.input.input; }
    let result: PhysicalPlan;
    if (sortNode) {
      const input = this.plan(sortNode.input);
      const orders = sortNode.orders.map((o) => bindOrder(o, input.schema));
      let top: PhysicalPlan = { type: "TakeOrderedExec", input, orders, limit: total, schema: input.schema };
      if (numPartitions(input) > 1) top = { type: "TakeOrderedExec", input: this.single(top), orders, limit: total, schema: input.schema };
      result = project ? { type: "ProjectExec", input: top, exprs: project.exprs.map((e) => bind(e, top.schema)), schema: outputSchema(project) } : top;
      if (p.offset === 0) return result;
    } else {
      const input = this.plan(p.input);
      result = numPartitions(input) === 1 ? input : this.single({ type: "LocalLimitExec", input, limit: total, schema: input.schema });
    }
    return { type: "GlobalLimitExec", input: result, limit: p.limit, offset: p.offset, schema: result.schema };
  }

  private planWindow(p: PlanOf<"Window">): PhysicalPlan {
    let current = this.plan(p.input);
    // One WindowExec per distinct (partitionBy, orderBy), each after the shuffle and sort it needs.
    const groups = new Map<string, Expr[]>();
    for (const w of p.windowExprs) {
      const win = (w.type === "alias" ? w.expr : w) as Extract<Expr, { type: "window" }>;
      const key = `${win.spec.partitionBy.map(exprToString).join(",")}|${win.spec.orderBy.map(sortOrderToString).join(",")}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    for (const exprs of groups.values()) {
      const spec = ((exprs[0]!.type === "alias" ? exprs[0]!.expr : exprs[0]!) as Extract<Expr, { type: "window" }>).spec;
      const partitionBy = spec.partitionBy.map((e) => bind(e, current.schema));
      const orderBy = spec.orderBy.map((o) => bindOrder(o, current.schema));
      const clustered = this.clustered(current, partitionBy);
      const sortOrders: SortOrder[] = [...partitionBy.map((e) => ({ expr: e, ascending: true, nullsFirst: true })), ...orderBy];
      const sorted: PhysicalPlan = sortOrders.length ? { type: "SortExec", input: clustered, orders: sortOrders, schema: clustered.schema } : clustered;
      const windows: WindowCall[] = exprs.map((w) => {
        const win = (w.type === "alias" ? w.expr : w) as Extract<Expr, { type: "window" }>;
        return { fn: win.fn, args: win.args.map((a) => bind(a, current.schema)), frame: defaultFrame(win.spec.frame, win.spec.orderBy.length > 0), resultType: exprType(win) };
      });
      current = { type: "WindowExec", input: sorted, partitionBy, orderBy, windows, schema: [...current.schema, ...exprs.map(fieldOf)] };
    }
    return current;
  }
}

function defaultFrame(frame: WindowFrame | null, ordered: boolean): WindowFrame {
  if (frame) return frame;
  return ordered
    ? { unit: "range", start: { kind: "unboundedPreceding" }, end: { kind: "currentRow" } }
    : { unit: "rows", start: { kind: "unboundedPreceding" }, end: { kind: "unboundedFollowing" } };
}

/** Columns a partial aggregate emits for one aggregate (read back by the final aggregate in order). */
export function stateTypes(fn: AggregateFn, argType: DataType | undefined): DataType[] {
  switch (fn) {
    case "count": case "count_star": return [INT64];
    case "sum": return [aggregateResultType("sum", argType)];
    case "avg": return [aggregateResultType("sum", argType), INT64];
    case "first": return [argType!, BOOLEAN];
    default: return [argType!];
  }
}

/** Plans a logical plan with the given configuration. */
export function planPhysical(plan: LogicalPlan, config: ConfigValues): PhysicalPlan {
  return new PhysicalPlanner(config).plan(plan);
}

/**
 * Adds the hash-join keys for `l <=> r` (null-safe equality, which INTERSECT
 * and EXCEPT produce) the way Spark's ExtractEquiJoinKeys does: the pair
 * (coalesce(l, default), coalesce(r, default)) plus (l IS NULL, r IS NULL).
 * Neither key is ever NULL, so every join algorithm and the hash
 * partitioning match NULL with NULL and nothing else, with no change to the
 * operators. When neither side can be NULL the pair is a plain `=` key.
 * Returns false (leave it a residual condition) for untyped NULL columns
 * and sides of different types.
 */
function nullSafeKeys(l: Expr, r: Expr, leftKeys: Expr[], rightKeys: Expr[]): boolean {
  const lt = exprType(l), rt = exprType(r);
  if (lt.kind === "null" || !typeEquals(lt, rt)) return false;
  if (!exprNullable(l) && !exprNullable(r)) { leftKeys.push(l); rightKeys.push(r); return true; }
  const orDefault = (e: Expr, t: DataType): Expr => ({ type: "call", name: "coalesce", args: [e, { type: "literal", value: t.kind === "utf8" ? "" : t.kind === "boolean" ? false : 0, dataType: t }] });
  leftKeys.push(orDefault(l, lt), { type: "isNull", expr: l, negated: false });
  rightKeys.push(orDefault(r, rt), { type: "isNull", expr: r, negated: false });
  return true;
}
