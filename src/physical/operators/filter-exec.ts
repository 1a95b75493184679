/** FilterExec: keeps the rows where the predicate is TRUE (NULL drops the row, as in SQL). */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { evaluate } from "../expressions/evaluate.ts";
import { selectTrue } from "../../exec/select-true.ts";
import { takeBatch } from "../../exec/column-vector.ts";

export async function* filterExec(node: PhysicalOf<"FilterExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  for await (const batch of execute(node.input, partition)) {
    const { indices, count } = selectTrue(evaluate(node.predicate, batch));
    if (count === 0) continue;
    yield count === batch.numRows ? batch : takeBatch(batch, indices, count);
  }
}
