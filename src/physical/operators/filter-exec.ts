/** FilterExec: keeps the rows where the predicate is TRUE (NULL drops the row, as in SQL): see truth-mask.ts. */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { truthMask } from "../expressions/truth-mask.ts";
import { BOOLEAN } from "../../types/data-types.ts";
import { selectTrue } from "../../exec/select-true.ts";
import { takeBatch } from "../../exec/column-vector.ts";

export async function* filterExec(node: PhysicalOf<"FilterExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  for await (const batch of execute(node.input, partition)) {
    const { indices, count } = selectTrue({ type: BOOLEAN, length: batch.numRows, values: truthMask(node.predicate, batch), validity: null });
    if (count === 0) continue;
    yield count === batch.numRows ? batch : takeBatch(batch, indices, count);
  }
}
