/**
 * LocalLimitExec caps each partition; GlobalLimitExec (over a single
 * partition) skips `offset` rows and keeps `limit`. Both stop pulling their
 * input as soon as they have enough, which stops the scan below.
 */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { sliceBatch } from "../../exec/column-vector.ts";

export async function* localLimitExec(node: PhysicalOf<"LocalLimitExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  yield* limitStream(execute(node.input, partition), node.limit, 0);
}

export async function* globalLimitExec(node: PhysicalOf<"GlobalLimitExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  yield* limitStream(execute(node.input, partition), node.limit, node.offset);
}

async function* limitStream(input: BatchStream, limit: number, offset: number): BatchStream {
  let toSkip = offset, remaining = limit;
  if (remaining <= 0) return;
  for await (const batch of input) {
    let start = 0;
    if (toSkip > 0) {
      start = Math.min(toSkip, batch.numRows);
      toSkip -= start;
    }
    const end = Math.min(batch.numRows, start + remaining);
    if (end > start) {
      yield start === 0 && end === batch.numRows ? batch : sliceBatch(batch, start, end);
      remaining -= end - start;
    }
    if (remaining <= 0) return;
  }
}
