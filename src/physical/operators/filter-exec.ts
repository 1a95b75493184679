/** FilterExec: keeps the rows where the predicate is TRUE (NULL drops the row, as in SQL). */
import type { PhysicalOf } from "../physical-plan.ts";
import type { BatchStream, TaskContext } from "../task-context.ts";
import { execute } from "../execute.ts";
import { evaluate, selectTrue } from "../../exec/evaluate.ts";
import { takeBatch } from "../../exec/column-vector.ts";

export async function* filterExec(node: PhysicalOf<"FilterExec">, partition: number, ctx: TaskContext): BatchStream {
  for await (const batch of execute(node.input, partition, ctx)) {
    const { indices, count } = selectTrue(evaluate(node.predicate, batch));
    if (count === 0) continue;
    yield count === batch.numRows ? batch : takeBatch(batch, indices, count);
  }
}
