/** ScanExec: reads one split of a source through the task's SourceReader. */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";

export async function* scanExec(node: PhysicalOf<"ScanExec">, partition: number, ctx: TaskContext): BatchStream {
  for await (const batch of ctx.sources.read(node.source, node.sourceSchema, node.projection, node.filters, partition, node.limit, ctx.metrics)) {
    ctx.metrics.rowsScanned += batch.numRows;
    if (batch.numRows > 0) yield batch;
  }
}
