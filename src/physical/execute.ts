/**
 * Runs one partition of a physical plan: dispatches each node to its
 * operator. Operators are async generators, so nothing runs until the first
 * batch is pulled, and a consumer that stops early (a limit) stops the whole
 * pipeline below it.
 */
import type { PhysicalPlan } from "./physical-plan.ts";
import type { TaskContext } from "./task-context.ts";
import type { Batch, BatchStream } from "../exec/column-vector.ts";
import type { Operator } from "./operator.ts";
import { scanExec } from "./operators/scan-exec.ts";
import { filterExec } from "./operators/filter-exec.ts";
import { projectExec } from "./operators/project-exec.ts";
import { localLimitExec, globalLimitExec } from "./operators/limit-exec.ts";
import { unionExec } from "./operators/union-exec.ts";
import { hashAggregateExec } from "./operators/hash-aggregate-exec.ts";
import { hashJoinExec } from "./operators/hash-join-exec.ts";
import { nestedLoopJoinExec } from "./operators/nested-loop-join-exec.ts";
import { sortMergeJoinExec } from "./operators/sort-merge-join-exec.ts";
import { sortExec, takeOrderedExec } from "./operators/sort-exec.ts";
import { windowExec } from "./operators/window-exec.ts";
import { mapPartitionsExec } from "./operators/map-partitions-exec.ts";
import { coalesceExec } from "./operators/coalesce-exec.ts";
import { interruptible } from "./interruptible.ts";

/** Each node kind's operator; Exchanges read what their map stage (or the broadcast) left. */
const operators: { [K in PhysicalPlan["type"]]: Operator<K> } = {
  ScanExec: scanExec,
  FilterExec: filterExec,
  ProjectExec: projectExec,
  LocalLimitExec: localLimitExec,
  GlobalLimitExec: globalLimitExec,
  UnionExec: unionExec,
  HashAggregateExec: hashAggregateExec,
  HashJoinExec: hashJoinExec,
  NestedLoopJoinExec: nestedLoopJoinExec,
  SortMergeJoinExec: sortMergeJoinExec,
  SortExec: sortExec,
  TakeOrderedExec: takeOrderedExec,
  WindowExec: windowExec,
  ShuffleExchangeExec: (node, partition, ctx) => ctx.exchanges.readShuffle(node, partition, ctx),
  BroadcastExchangeExec: (node, _partition, ctx) => broadcastStream(node, ctx),
  EmptyExec: async function* () {},
  MapPartitionsExec: mapPartitionsExec,
  CoalesceExec: coalesceExec,
};

/** Where batches enter a pipeline: a killed task stops at the next batch one of these yields. */
const LEAVES = new Set<PhysicalPlan["type"]>(["ScanExec", "ShuffleExchangeExec", "BroadcastExchangeExec", "MapPartitionsExec"]);

export function execute(plan: PhysicalPlan, partition: number, ctx: TaskContext): BatchStream {
  const operator = operators[plan.type] as Operator<PhysicalPlan["type"]>;
  const stream = operator(plan, partition, ctx, (child, p) => execute(child, p, ctx));
  return ctx.signal && LEAVES.has(plan.type) ? interruptible(stream, ctx.signal) : stream;
}

async function* broadcastStream(plan: Extract<PhysicalPlan, { type: "BroadcastExchangeExec" }>, ctx: TaskContext): BatchStream {
  yield* await ctx.exchanges.readBroadcast(plan, ctx);
}

/** All batches of one partition, in order. */
export async function collectPartition(plan: PhysicalPlan, partition: number, ctx: TaskContext): Promise<Batch[]> {
  const out = [];
  for await (const b of execute(plan, partition, ctx)) out.push(b);
  return out;
}
