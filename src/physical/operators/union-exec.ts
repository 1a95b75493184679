/** UnionExec: partition k of the union is partition k' of the input that owns it (inputs' partitions laid end to end). */
import type { PhysicalOf } from "../physical-plan.ts";
import { numPartitions } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";

export async function* unionExec(node: PhysicalOf<"UnionExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  let p = partition;
  for (const input of node.inputs) {
    const n = numPartitions(input);
    if (p < n) { yield* execute(input, p); return; }
    p -= n;
  }
}
