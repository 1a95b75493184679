/**
 * SortExec sorts its whole partition: it gathers every input batch,
 * computes one stable permutation over the ORDER BY keys and emits the
 * permuted rows in batches of `batch.size`. TakeOrderedExec (Spark's
 * TakeOrderedAndProject) keeps only the first `limit` rows in that order,
 * in bounded memory: it buffers candidates and, whenever the buffer grows
 * past a few times `limit`, sorts it and keeps the best `limit`; after that
 * an incoming batch is first filtered against the worst kept row, so most
 * rows of a large input are rejected by one comparison each. Both keep
 * ties in input order.
 */
import type { SortOrder } from "../../plan/expressions.ts";
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import { evaluate } from "../expressions/evaluate.ts";
import type { Batch } from "../../exec/column-vector.ts";
import type { ColumnVector } from "../../exec/column-vector.ts";
import { concatBatches, decodeDictionary, isValidAt, sliceBatch, takeBatch } from "../../exec/column-vector.ts";
import { compareBytes } from "../../exec/compare.ts";
import { compareKeyRows, sortKeyOf } from "../../exec/sort/sort-keys.ts";
import { externalSort, sortPermutation } from "./external-sort.ts";

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

export async function* sortExec(node: PhysicalOf<"SortExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  // With a memory share, the sort reserves what it buffers and spills sorted runs when refused.
  if (ctx.memory) { yield* externalSort(execute(node.input, partition), node.orders, node.schema.length, ctx); return; }
  const batches: Batch[] = [];
  for await (const b of execute(node.input, partition)) if (b.numRows > 0) batches.push(b);
  if (batches.length === 0) return;
  const all = concatBatches(batches, node.schema.length);
  yield* inBatches(sortBatch(all, node.orders), ctx.config["batch.size"]);
}

export async function* takeOrderedExec(node: PhysicalOf<"TakeOrderedExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const limit = node.limit;
  if (limit <= 0) return;
  const width = node.schema.length;
  // Prune when the buffer holds this many rows: amortizes each sort over at least `limit` new rows.
  const pruneAt = Math.max(2 * limit, 1024);
  let kept: Batch | null = null;
  let pending: Batch[] = [];
  let pendingRows = 0;
  for await (const input of execute(node.input, partition)) {
    // Once `limit` rows are kept, only rows that sort strictly before the last kept one can enter.
    const b = kept !== null && kept.numRows >= limit ? rowsBefore(input, kept, limit - 1, node.orders) : input;
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

/**
 * The rows of `batch` that sort strictly before row `refRow` of `ref`
 * (ties lose: the kept row arrived first). Each key is compared with the
 * one reference value a column at a time; the first key that differs
 * decides.
 */
function rowsBefore(batch: Batch, ref: Batch, refRow: number, orders: readonly SortOrder[]): Batch {
  const n = batch.numRows;
  const refBatch = sliceBatch(ref, refRow, refRow + 1);
  // decided[i]: 0 while every key so far ties with the reference, else -1 (before) or 1 (after).
  const decided = new Int8Array(n);
  for (const o of orders) {
    const cmp = compareWithReference(evaluate(o.expr, batch), evaluate(o.expr, refBatch), o);
    for (let i = 0; i < n; i++) if (decided[i] === 0) decided[i] = cmp[i]!;
  }
  const selected = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) if (decided[i]! < 0) selected[count++] = i;
  return count === n ? batch : takeBatch(batch, selected, count);
}

/** ORDER BY comparison (-1, 0, 1) of each row of `col` with row 0 of `ref`, direction and NULL order applied. */
function compareWithReference(col: ColumnVector, ref: ColumnVector, order: SortOrder): Int8Array {
  const n = col.length;
  const out = new Int8Array(n);
  const sign = order.ascending ? 1 : -1;
  const refValid = isValidAt(ref, 0);
  const nullVsValue = order.nullsFirst ? -1 : 1; // a NULL row against a valid reference
  if (col.type.kind === "utf8") {
    const refPlain = decodeDictionary(ref);
    const rb = refPlain.values as Uint8Array, re = refPlain.offsets![1]!, rs = refPlain.offsets![0]!;
    const plain = col.dictionary ?? col;
    const bytes = plain.values as Uint8Array, offsets = plain.offsets!;
    // A dictionary column compares each dictionary entry once.
    const perValue = new Int8Array(plain.length);
    if (refValid) for (let d = 0; d < plain.length; d++) perValue[d] = compareBytes(bytes, offsets[d]!, offsets[d + 1]!, rb, rs, re) * sign;
    const codes = col.dictionary ? (col.values as Int32Array) : null;
    for (let i = 0; i < n; i++) out[i] = perValue[codes === null ? i : codes[i]!]!;
  } else if (refValid) {
    const key = sortKeyOf(col, order), refKey = sortKeyOf(ref, order);
    for (let i = 0; i < n; i++) out[i] = compareKeyRows(key, i, refKey, 0);
  }
  const valid = col.validity;
  if (!refValid) {
    // Every valid row is on the far side of a NULL reference; NULL rows tie with it.
    for (let i = 0; i < n; i++) out[i] = valid === null || valid[i] === 1 ? -nullVsValue : 0;
  } else if (valid !== null) {
    for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = nullVsValue;
  }
  return out;
}
