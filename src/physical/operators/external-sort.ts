/**
 * SortExec's path when the partition does not fit in the task's memory
 * share: buffered batches are reserved as they arrive; when a reservation
 * is refused the buffer is sorted and written to the spill store as a run
 * (in chunks of `batch.size` rows), and the memory released. At the end the
 * runs are merged reading one chunk of each at a time.
 *
 * Each row carries its arrival number as a last, hidden sort key, so rows
 * from different runs never tie and the sort stays stable. That makes a
 * merge step simple and exact with the one sort kernel Cinder has: sort
 * the current chunks of every run together, and emit the rows up to the
 * first row that is the last of its chunk (anything after it could still
 * be preceded by that run's next chunk); the rest waits for the next step.
 */
import type { SortOrder } from "../../plan/expressions.ts";
import type { Batch, BatchStream } from "../../exec/column-vector.ts";
import { batchByteSize, concatBatches, sliceBatch, takeBatch } from "../../exec/column-vector.ts";
import { INT64 } from "../../types/data-types.ts";
import type { SpillRun, SpillStore } from "../../io/spill-store.ts";
import { spillStoreFor } from "../spill-store-for.ts";
import type { TaskContext } from "../task-context.ts";
import { evaluate } from "../expressions/evaluate.ts";
import { sortColumns } from "../../exec/sort/sort-indices.ts";

/** The stable ORDER BY permutation of `batch`. */
export function sortPermutation(batch: Batch, orders: readonly SortOrder[]): Int32Array {
  return sortColumns(orders.map((o) => evaluate(o.expr, batch)), orders, batch.numRows);
}

/** Reservation per buffered byte: the batch itself and the sorted copy made of it. */
const SORT_OVERHEAD = 2;

export async function* externalSort(input: BatchStream, orders: readonly SortOrder[], width: number, ctx: TaskContext): BatchStream {
  const memory = ctx.memory!;
  const chunkRows = Math.max(1, ctx.config["batch.size"]);
  const withSeq: SortOrder[] = [...orders, { expr: { type: "boundRef", index: width, dataType: INT64, nullable: false }, ascending: true, nullsFirst: true }];
  let buffer: Batch[] = [], reserved = 0, arrived = 0, bufferStart = 0;
  const runs: SpillRun[] = [];
  let store: SpillStore | null = null;
  const release = () => { memory.release(reserved); reserved = 0; };

  /** The buffer, numbered from `bufferStart`, sorted with the number as the last key. */
  const sortedBuffer = (): Batch => {
    const all = concatBatches(buffer, width);
    const seq = new Float64Array(all.numRows);
    for (let i = 0; i < seq.length; i++) seq[i] = bufferStart + i;
    const numbered: Batch = { numRows: all.numRows, columns: [...all.columns, { type: INT64, length: all.numRows, values: seq, validity: null }] };
    return takeBatch(numbered, sortPermutation(numbered, withSeq));
  };
  const spill = async () => {
    store ??= await spillStoreFor(ctx, memory, "a sort", buffer.reduce((n, b) => n + batchByteSize(b), 0) * SORT_OVERHEAD);
    const sorted = sortedBuffer();
    const chunks: Batch[] = [];
    for (let s = 0; s < sorted.numRows; s += chunkRows) chunks.push(sliceBatch(sorted, s, Math.min(sorted.numRows, s + chunkRows)));
    const run = await store.writeRun(chunks);
    runs.push(run);
    memory.spillBytes += run.bytes;
    memory.spillFiles++;
    buffer = [];
    bufferStart = arrived;
    release();
  };

  try {
    for await (const b of input) {
      if (b.numRows === 0) continue;
      const need = batchByteSize(b) * SORT_OVERHEAD;
      if (!memory.tryReserve(need)) {
        if (buffer.length > 0) await spill();
        // One batch over the whole share is held anyway: a sort cannot do with less than one batch.
        if (memory.tryReserve(need)) reserved += need;
      } else reserved += need;
      buffer.push(b);
      arrived += b.numRows;
    }
    if (runs.length === 0) {
      // It fit: one stable sort, without the arrival numbers only merging needs.
      if (buffer.length === 0) return;
      const all = concatBatches(buffer, width);
      const sorted = takeBatch(all, sortPermutation(all, orders));
      for (let s = 0; s < sorted.numRows; s += chunkRows) yield sliceBatch(sorted, s, Math.min(sorted.numRows, s + chunkRows));
      return;
    }
    if (buffer.length > 0) await spill();
    yield* merge(runs, store!, withSeq, width, chunkRows);
  } finally {
    release();
    if (store) for (const r of runs) await store.remove(r);
  }
}

/**
 * Merges sorted runs (each row numbered in its last column) into batches of `chunkRows`, the number
 * dropped. A run's frontier is the number of the last row read from it: a row after the first frontier
 * in sorted order might still be preceded by that run's next chunk, so it waits in `carry`. Only the run
 * whose frontier was passed is read further, which keeps at most one chunk of each run in memory.
 */
async function* merge(runs: readonly SpillRun[], store: SpillStore, orders: readonly SortOrder[], width: number, chunkRows: number): BatchStream {
  const next = runs.map(() => 0);
  const frontier = new Map<number, number>(); // row number -> run, for runs with chunks left to read
  const read = async (i: number): Promise<Batch | null> => {
    const run = runs[i]!;
    if (next[i]! >= run.offsets.length - 1) return null;
    const batches = await store.readChunk(run, next[i]!++);
    const chunk = batches.length === 1 ? batches[0]! : concatBatches(batches, width + 1);
    if (next[i]! < run.offsets.length - 1 && chunk.numRows > 0) frontier.set(chunk.columns[width]!.values[chunk.numRows - 1]!, i);
    return chunk;
  };
  const emit = function* (b: Batch): Generator<Batch> {
    const out = { numRows: b.numRows, columns: b.columns.slice(0, width) };
    for (let s = 0; s < out.numRows; s += chunkRows) yield sliceBatch(out, s, Math.min(out.numRows, s + chunkRows));
  };
  let parts = (await Promise.all(runs.map((_, i) => read(i)))).filter((b): b is Batch => b !== null);
  while (parts.length > 0) {
    const all = concatBatches(parts, width + 1);
    const sorted = takeBatch(all, sortPermutation(all, orders));
    const seq = sorted.columns[width]!.values;
    let safe = sorted.numRows, passed = -1;
    for (let p = 0; p < sorted.numRows && frontier.size > 0; p++) {
      const run = frontier.get(seq[p]!);
      if (run !== undefined) { safe = p + 1; passed = run; frontier.delete(seq[p]!); break; }
    }
    yield* emit(sliceBatch(sorted, 0, safe));
    parts = safe < sorted.numRows ? [sliceBatch(sorted, safe, sorted.numRows)] : [];
    if (passed >= 0) {
      const chunk = await read(passed);
      if (chunk) parts.push(chunk);
    }
  }
}
