/** ProjectExec: computes the output columns from each input batch. */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { evaluate } from "../expressions/evaluate.ts";

export async function* projectExec(node: PhysicalOf<"ProjectExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  for await (const batch of execute(node.input, partition)) {
    yield { numRows: batch.numRows, columns: node.exprs.map((e) => evaluate(e, batch)) };
  }
}
