/**
 * CoalesceExec (`df.coalesce(n)`): fewer partitions without a shuffle. Each
 * output partition runs a contiguous range of input partitions in turn, in
 * the same task, so the stage keeps its narrow shape on every backend.
 */
import type { PhysicalOf } from "../physical-plan.ts";
import { coalescedInputs, numPartitions } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";

export async function* coalesceExec(node: PhysicalOf<"CoalesceExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const [start, end] = coalescedInputs(partition, numPartitions(node.input), node.numPartitions);
  for (let p = start; p < end; p++) yield* execute(node.input, p);
}
