/**
 * SortExec sorts its whole partition: it gathers every input batch,
 * computes one stable permutation over the ORDER BY keys and emits the
 * permuted rows in batches of `batch.size`. TakeOrderedExec (Spark's
 * TakeOrderedAndProject) keeps only the first `limit` rows in that order,
 * in bounded memory: it buffers candidates and, whenever the buffer grows
 * past a few times `limit`, sorts it and keeps the best `limit`. Both keep
 * ties in input order.
 */
import type { SortOrder } from "../../plan/expressions.ts";
import type { PhysicalOf } from "../physical-plan.ts";
import type { BatchStream, TaskContext } from "../task-context.ts";
import { execute } from "../execute.ts";
import { evaluate } from "../../exec/evaluate.ts";
import type { Batch } from "../../exec/column-vector.ts";
import { concatBatches, sliceBatch, takeBatch } from "../../exec/column-vector.ts";
import { sortColumns } from "../../exec/sort/sort-indices.ts";

/** The stable ORDER BY permutation of `batch`. */
export function sortPermutation(batch: Batch, orders: readonly SortOrder[]): Int32Array {
  return sortColumns(orders.map((o) => evaluate(o.expr, batch)), orders, batch.numRows);
}

/** `batch` in ORDER BY order, keeping only its first `limit` rows. */
function sortBatch(batch: Batch, orders: readonly SortOrder[], limit = batch.numRows): Batch {
  const perm = sortPermutation(batch, orders);
  const count = Math.min(limit, batch.numRows);
  return takeBatch(batch, perm, count);
}

function* inBatches(batch: Batch, size: number): Generator<Batch> {
  const step = Math.max(1, Math.floor(size));
  if (batch.numRows <= step) { if (batch.numRows > 0) yield batch; return; }
  for (let start = 0; start < batch.numRows; start += step) yield sliceBatch(batch, start, Math.min(batch.numRows, start + step));
}

export async function* sortExec(node: PhysicalOf<"SortExec">, partition: number, ctx: TaskContext): BatchStream {
  const batches: Batch[] = [];
  for await (const b of execute(node.input, partition, ctx)) if (b.numRows > 0) batches.push(b);
  if (batches.length === 0) return;
  const all = concatBatches(batches, node.schema.length);
  yield* inBatches(sortBatch(all, node.orders), ctx.config["batch.size"]);
}

export async function* takeOrderedExec(node: PhysicalOf<"TakeOrderedExec">, partition: number, ctx: TaskContext): BatchStream {
  const limit = node.limit;
  if (limit <= 0) return;
  const width = node.schema.length;
  // Prune when the buffer holds this many rows: amortizes each sort over at least `limit` new rows.
  const pruneAt = Math.max(2 * limit, 1024);
  let kept: Batch | null = null;
  let pending: Batch[] = [];
  let pendingRows = 0;
  for await (const b of execute(node.input, partition, ctx)) {
    if (b.numRows === 0) continue;
    pending.push(b);
    pendingRows += b.numRows;
    if ((kept === null ? 0 : kept.numRows) + pendingRows >= pruneAt) {
      kept = keepFirst(kept, pending, node.orders, limit, width);
      pending = [];
      pendingRows = 0;
    }
  }
  if (pending.length > 0) kept = keepFirst(kept, pending, node.orders, limit, width);
  if (kept) yield* inBatches(kept, ctx.config["batch.size"]);
}

/**
 * The first `limit` rows of `kept` followed by `pending`. Kept rows arrived
 * before pending ones and are already in order, so the stable sort keeps
 * ties in arrival order.
 */
function keepFirst(kept: Batch | null, pending: Batch[], orders: readonly SortOrder[], limit: number, width: number): Batch {
  return sortBatch(concatBatches(kept ? [kept, ...pending] : pending, width), orders, limit);
}
