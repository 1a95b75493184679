/** SortExec and TakeOrderedExec (being written). */
import type { PhysicalOf } from "../physical-plan.ts";
import type { BatchStream, TaskContext } from "../task-context.ts";
import { UnsupportedError } from "../../common/errors.ts";

export async function* sortExec(node: PhysicalOf<"SortExec">, partition: number, ctx: TaskContext): BatchStream {
  throw new UnsupportedError(`${node.type} ${partition} ${ctx.config["batch.size"]}`);
}
export async function* takeOrderedExec(node: PhysicalOf<"TakeOrderedExec">, partition: number, ctx: TaskContext): BatchStream {
  throw new UnsupportedError(`${node.type} ${partition} ${ctx.config["batch.size"]}`);
}
