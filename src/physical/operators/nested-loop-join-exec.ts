/** NestedLoopJoinExec (being written). */
import type { PhysicalOf } from "../physical-plan.ts";
import type { BatchStream, TaskContext } from "../task-context.ts";
import { UnsupportedError } from "../../common/errors.ts";

// eslint-disable-next-line require-yield
export async function* nestedLoopJoinExec(node: PhysicalOf<"NestedLoopJoinExec">, partition: number, ctx: TaskContext): BatchStream {
  throw new UnsupportedError(`${node.type} ${partition} ${ctx.config["batch.size"]}`);
}
