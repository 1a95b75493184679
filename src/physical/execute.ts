/**
 * Runs one partition of a physical plan: dispatches each node to its
 * operator. Operators are async generators, so nothing runs until the first
 * batch is pulled, and a consumer that stops early (a limit) stops the whole
 * pipeline below it.
 */
import type { PhysicalPlan } from "./physical-plan.ts";
import type { BatchStream, TaskContext } from "./task-context.ts";
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

export function execute(plan: PhysicalPlan, partition: number, ctx: TaskContext): BatchStream {
  switch (plan.type) {
    case "ScanExec": return scanExec(plan, partition, ctx);
    case "FilterExec": return filterExec(plan, partition, ctx);
    case "ProjectExec": return projectExec(plan, partition, ctx);
    case "LocalLimitExec": return localLimitExec(plan, partition, ctx);
    case "GlobalLimitExec": return globalLimitExec(plan, partition, ctx);
    case "UnionExec": return unionExec(plan, partition, ctx);
    case "HashAggregateExec": return hashAggregateExec(plan, partition, ctx);
    case "HashJoinExec": return hashJoinExec(plan, partition, ctx);
    case "NestedLoopJoinExec": return nestedLoopJoinExec(plan, partition, ctx);
    case "SortMergeJoinExec": return sortMergeJoinExec(plan, partition, ctx);
    case "SortExec": return sortExec(plan, partition, ctx);
    case "TakeOrderedExec": return takeOrderedExec(plan, partition, ctx);
    case "WindowExec": return windowExec(plan, partition, ctx);
    case "ShuffleExchangeExec": return ctx.exchanges.readShuffle(plan, partition, ctx);
    case "BroadcastExchangeExec": return broadcastStream(plan, ctx);
    case "EmptyExec": return (async function* () {})();
    case "MapPartitionsExec": return mapPartitionsExec(plan, partition, ctx);
    case "CoalesceExec": return coalesceExec(plan, partition, ctx);
  }
}

async function* broadcastStream(plan: Extract<PhysicalPlan, { type: "BroadcastExchangeExec" }>, ctx: TaskContext): BatchStream {
  yield* await ctx.exchanges.readBroadcast(plan, ctx);
}

/** All batches of one partition, in order. */
export async function collectPartition(plan: PhysicalPlan, partition: number, ctx: TaskContext): Promise<import("../exec/column-vector.ts").Batch[]> {
  const out = [];
  for await (const b of execute(plan, partition, ctx)) out.push(b);
  return out;
}
