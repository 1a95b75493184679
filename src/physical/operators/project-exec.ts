/** ProjectExec: computes the output columns from each input batch. */
import type { PhysicalOf } from "../physical-plan.ts";
import type { BatchStream, TaskContext } from "../task-context.ts";
import { execute } from "../execute.ts";
import { evaluate } from "../../exec/evaluate.ts";

export async function* projectExec(node: PhysicalOf<"ProjectExec">, partition: number, ctx: TaskContext): BatchStream {
  for await (const batch of execute(node.input, partition, ctx)) {
    yield { numRows: batch.numRows, columns: node.exprs.map((e) => evaluate(e, batch)) };
  }
}
