/**
 * Physical plan nodes: plain serializable data, like logical plans, so a
 * stage's fragment can be sent to a worker or an edge executor as JSON.
 * Expressions here are bound: columns are `boundRef`s to ordinals of the
 * input's output. Every node runs one partition at a time; data moves
 * between partitions only through an Exchange node, which is where the
 * DAGScheduler cuts stages.
 */
import type { Expr, SortOrder } from "../plan/expressions.ts";
import type { AggregateFn, RankingFn, WindowFrame } from "../types/operations.ts";
import { exprToString, sortOrderToString } from "../plan/expressions.ts";
import type { DataSource } from "../plan/logical-plan.ts";
import type { JoinType } from "../types/operations.ts";
import { describeSource } from "../plan/logical-plan.ts";
import type { DataType, Field } from "../types/data-types.ts";
import type { RDDLayout, RDDStep } from "./operators/rdd-steps.ts";
import { describeSteps } from "./operators/rdd-steps.ts";

export type Partitioning =
  | { kind: "hash"; keys: Expr[]; numPartitions: number }
  | { kind: "range"; orders: SortOrder[]; numPartitions: number }
  | { kind: "single" }
  | { kind: "roundRobin"; numPartitions: number };

/** One aggregate of a HashAggregateExec. `stateTypes` are the partial-mode output columns it needs. */
export interface AggregateCall {
  fn: AggregateFn;
  /** Bound argument (null for count(*)). In final mode it is unused: the state columns are read by position. */
  arg: Expr | null;
  distinct: boolean;
  resultType: DataType;
  stateTypes: DataType[];
}

export interface WindowCall {
  fn: AggregateFn | RankingFn;
  args: Expr[];
  frame: WindowFrame;
  resultType: DataType;
}

interface Base {
  /** Output columns. */
  schema: Field[];
}

export type PhysicalPlan = Base & (
  | { type: "ScanExec"; source: DataSource; sourceSchema: Field[]; projection: number[] | null; filters: Expr[]; limit?: number; numPartitions: number }
  | { type: "FilterExec"; input: PhysicalPlan; predicate: Expr }
  | { type: "ProjectExec"; input: PhysicalPlan; exprs: Expr[] }
  | { type: "HashAggregateExec"; input: PhysicalPlan; mode: "partial" | "final" | "complete"; groupBy: Expr[]; aggregates: AggregateCall[] }
  | {
      type: "HashJoinExec"; left: PhysicalPlan; right: PhysicalPlan; joinType: JoinType;
      leftKeys: Expr[]; rightKeys: Expr[]; condition: Expr | null;
      /** The side whose rows go into the hash table. */
      buildSide: "left" | "right";
      /** True when the build side is a broadcast (every partition of the probe side sees all of it). */
      broadcast: boolean;
      /**
       * Ordinals of the join's full output (left ++ right; left only for semi/anti) that it emits, in
       * `schema` order; absent: all. Only these columns are gathered (a join under count(*) gathers none).
       */
      projection?: number[];
    }
  | {
      type: "SortMergeJoinExec"; left: PhysicalPlan; right: PhysicalPlan; joinType: JoinType; leftKeys: Expr[]; rightKeys: Expr[]; condition: Expr | null;
      /** As HashJoinExec's: the ordinals of left ++ right it emits; absent: all. */
      projection?: number[];
    }
  | { type: "NestedLoopJoinExec"; left: PhysicalPlan; right: PhysicalPlan; joinType: JoinType; condition: Expr | null; buildSide: "left" | "right" }
  | { type: "SortExec"; input: PhysicalPlan; orders: SortOrder[] }
  | { type: "TakeOrderedExec"; input: PhysicalPlan; orders: SortOrder[]; limit: number }
  | { type: "LocalLimitExec"; input: PhysicalPlan; limit: number }
  | { type: "GlobalLimitExec"; input: PhysicalPlan; limit: number; offset: number }
  | { type: "UnionExec"; inputs: PhysicalPlan[] }
  | { type: "WindowExec"; input: PhysicalPlan; partitionBy: Expr[]; orderBy: SortOrder[]; windows: WindowCall[] }
  | { type: "ShuffleExchangeExec"; input: PhysicalPlan; partitioning: Partitioning; exchangeId: number }
  | { type: "BroadcastExchangeExec"; input: PhysicalPlan; exchangeId: number }
  | { type: "EmptyExec"; numPartitions: number }
  /** Spark's CoalesceExec: partition p runs input partitions `coalescedInputs(p, ...)` one after another, no shuffle. */
  | { type: "CoalesceExec"; input: PhysicalPlan; numPartitions: number }
  /** RDD API functions over each partition; `broadcasts` are one-row memory scans of broadcast variables. */
  | { type: "MapPartitionsExec"; input: PhysicalPlan; inputLayout: RDDLayout; steps: RDDStep[]; outputLayout: RDDLayout; broadcasts: PhysicalPlan[] }
);

export type PhysicalOf<T extends PhysicalPlan["type"]> = Extract<PhysicalPlan, { type: T }>;

export function physicalChildren(p: PhysicalPlan): PhysicalPlan[] {
  switch (p.type) {
    case "ScanExec": case "EmptyExec": return [];
    case "HashJoinExec": case "SortMergeJoinExec": case "NestedLoopJoinExec": return [p.left, p.right];
    case "UnionExec": return p.inputs;
    case "MapPartitionsExec": return [p.input, ...p.broadcasts];
    default: return [p.input];
  }
}

export function withPhysicalChildren(p: PhysicalPlan, children: PhysicalPlan[]): PhysicalPlan {
  switch (p.type) {
    case "ScanExec": case "EmptyExec": return p;
    case "HashJoinExec": case "SortMergeJoinExec": case "NestedLoopJoinExec": return { ...p, left: children[0]!, right: children[1]! };
    case "UnionExec": return { ...p, inputs: children };
    case "MapPartitionsExec": return { ...p, input: children[0]!, broadcasts: children.slice(1) };
    default: return { ...p, input: children[0]! } as PhysicalPlan;
  }
}

/** How many partitions a node produces. */
export function numPartitions(p: PhysicalPlan): number {
  switch (p.type) {
    case "ScanExec": case "EmptyExec": case "CoalesceExec": return p.numPartitions;
    case "ShuffleExchangeExec":
      return p.partitioning.kind === "single" ? 1 : p.partitioning.numPartitions;
    case "BroadcastExchangeExec": return 1;
    case "UnionExec": return p.inputs.reduce((n, c) => n + numPartitions(c), 0);
    case "HashJoinExec":
      return numPartitions(p.broadcast ? (p.buildSide === "left" ? p.right : p.left) : p.left);
    case "NestedLoopJoinExec": return numPartitions(p.buildSide === "left" ? p.right : p.left);
    case "SortMergeJoinExec": return numPartitions(p.left);
    default: return numPartitions(p.input);
  }
}

/**
 * The input partitions partition `p` of a CoalesceExec reads: `n` input partitions cut into `m` contiguous,
 * near-equal ranges, as Spark's CoalescedRDD does without locality preferences.
 * @example coalescedInputs(0, 5, 2) // [0, 2]: input partitions 0 and 1
 */
export function coalescedInputs(p: number, n: number, m: number): [start: number, end: number] {
  return [Math.floor((p * n) / m), Math.floor(((p + 1) * n) / m)];
}

export function describePhysical(p: PhysicalPlan): string {
  const list = (es: Expr[]) => es.map(exprToString).join(", ");
  switch (p.type) {
    case "ScanExec": {
      const cols = (p.projection ? p.projection.map((i) => p.sourceSchema[i]!) : p.sourceSchema).map((f) => f.name);
      return `ScanExec ${describeSource(p.source)} [${cols.join(", ")}]${p.filters.length ? ` PushedFilters: [${list(p.filters)}]` : ""}${p.limit !== undefined ? ` Limit: ${p.limit}` : ""} partitions=${p.numPartitions}`;
    }
    case "FilterExec": return `FilterExec ${exprToString(p.predicate)}`;
    case "ProjectExec": return `ProjectExec [${list(p.exprs)}]`;
    case "HashAggregateExec": return `HashAggregateExec(${p.mode}) keys=[${list(p.groupBy)}] aggs=[${p.aggregates.map((a) => `${a.fn}${a.distinct ? " distinct" : ""}(${a.arg ? exprToString(a.arg) : "*"})`).join(", ")}]`;
    case "HashJoinExec": return `${p.broadcast ? "BroadcastHashJoinExec" : "ShuffledHashJoinExec"} ${p.joinType} [${list(p.leftKeys)}] = [${list(p.rightKeys)}]${p.condition ? ` condition=${exprToString(p.condition)}` : ""} build=${p.buildSide}${p.projection ? ` output=[${p.projection.map((i) => `#${i}`).join(", ")}]` : ""}`;
    case "SortMergeJoinExec": return `SortMergeJoinExec ${p.joinType} [${list(p.leftKeys)}] = [${list(p.rightKeys)}]${p.condition ? ` condition=${exprToString(p.condition)}` : ""}${p.projection ? ` output=[${p.projection.map((i) => `#${i}`).join(", ")}]` : ""}`;
    case "NestedLoopJoinExec": return `BroadcastNestedLoopJoinExec ${p.joinType}${p.condition ? ` ${exprToString(p.condition)}` : ""} build=${p.buildSide}`;
    case "SortExec": return `SortExec [${p.orders.map(sortOrderToString).join(", ")}]`;
    case "TakeOrderedExec": return `TakeOrderedAndProjectExec limit=${p.limit} [${p.orders.map(sortOrderToString).join(", ")}]`;
    case "LocalLimitExec": return `LocalLimitExec ${p.limit}`;
    case "GlobalLimitExec": return `GlobalLimitExec ${p.limit}${p.offset ? ` offset=${p.offset}` : ""}`;
    case "UnionExec": return "UnionExec";
    case "WindowExec": return `WindowExec [${p.windows.map((w) => `${w.fn}(${list(w.args)})`).join(", ")}] partitionBy=[${list(p.partitionBy)}] orderBy=[${p.orderBy.map(sortOrderToString).join(", ")}]`;
    case "ShuffleExchangeExec": {
      const part = p.partitioning;
      const how = part.kind === "hash" ? `hashpartitioning(${list(part.keys)}, ${part.numPartitions})`
        : part.kind === "range" ? `rangepartitioning(${part.orders.map(sortOrderToString).join(", ")}, ${part.numPartitions})`
        : part.kind === "single" ? "SinglePartition" : `RoundRobinPartitioning(${part.numPartitions})`;
      return `Exchange ${how} [id=${p.exchangeId}]`;
    }
    case "BroadcastExchangeExec": return `BroadcastExchange [id=${p.exchangeId}]`;
    case "EmptyExec": return "EmptyExec";
    case "CoalesceExec": return `Coalesce ${p.numPartitions}`;
    case "MapPartitionsExec": return `MapPartitionsExec ${describeSteps(p.steps, p.inputLayout, p.outputLayout)}`;
  }
}

/** Indented tree, one node per line; `annotate` may add text to a node's line (scan statistics and metrics). */
export function physicalToString(p: PhysicalPlan, indent = 0, annotate?: (p: PhysicalPlan) => string): string {
  const line = `${indent === 0 ? "" : " ".repeat(indent * 3 - 3) + "+- "}${describePhysical(p)}${annotate ? annotate(p) : ""}`;
  return [line, ...physicalChildren(p).map((c) => physicalToString(c, indent + 1, annotate))].join("\n");
}
