/**
 * Scatters the rows of a map task's batches into their reduce partitions'
 * blocks in one pass: fixed-width columns (numbers, dates, booleans and
 * validity) are copied straight into per-partition arrays allocated in
 * shared memory, with no intermediate per-batch split and concat. Strings
 * and dictionary columns, whose sizes are not known up front, are gathered
 * with `take` and concatenated, then shared.
 */
import type { Batch, ColumnVector, NumericArray } from "../exec/column-vector.ts";
import { concat, take } from "../exec/column-vector.ts";
import { shareColumn, sharedMemoryAvailable } from "./shared-batch.ts";

function allocLike(values: NumericArray, length: number, shared: boolean): NumericArray {
  const ctor = values.constructor as unknown as { new (b: ArrayBufferLike): NumericArray; new (n: number): NumericArray; BYTES_PER_ELEMENT: number };
  return shared ? new ctor(new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT)) : new ctor(length);
}

/** One batch per reduce partition (undefined where no row went), from `batches` and each batch's partition ids. */
export function scatterToPartitions(batches: readonly Batch[], ids: readonly Int32Array[], n: number, width: number): (Batch | undefined)[] {
  const counts = new Int32Array(n);
  for (let b = 0; b < batches.length; b++) {
    const id = ids[b]!;
    for (let i = 0; i < id.length; i++) counts[id[i]!]!++;
  }
  const shared = sharedMemoryAvailable();
  const columns: ColumnVector[][] = Array.from({ length: n }, () => []);
  // Row order within a partition, per batch, for the columns gathered with take().
  let orders: { order: Int32Array; starts: Int32Array }[] | null = null;
  for (let c = 0; c < width; c++) {
    const cols = batches.map((bt) => bt.columns[c]!);
    const first = cols[0]!;
    const fixed = cols.every((x) => x.type.kind !== "utf8" && !x.dictionary);
    if (!fixed) {
      orders ??= batches.map((_, b) => groupRows(ids[b]!, n));
      for (let r = 0; r < n; r++) {
        if (counts[r] === 0) continue;
        const parts = cols.map((x, b) => take(x, orders![b]!.order.subarray(orders![b]!.starts[r]!, orders![b]!.starts[r + 1]!)));
        const col = concat(parts);
        columns[r]!.push(shared ? shareColumn(col) : col);
      }
      continue;
    }
    const hasNulls = cols.some((x) => x.validity !== null);
    const outValues = Array.from({ length: n }, (_, r) => allocLike(first.values, counts[r]!, shared));
    const outValid = hasNulls ? Array.from({ length: n }, (_, r) => allocLike(new Uint8Array(0), counts[r]!, shared) as Uint8Array) : null;
    const cursor = new Int32Array(n);
    for (let b = 0; b < batches.length; b++) {
      const id = ids[b]!, src = cols[b]!.values, valid = cols[b]!.validity;
      if (outValid) {
        for (let i = 0; i < id.length; i++) {
          const r = id[i]!, at = cursor[r]!++;
          outValues[r]![at] = src[i]!;
          outValid[r]![at] = valid === null ? 1 : valid[i]!;
        }
      } else {
        for (let i = 0; i < id.length; i++) { const r = id[i]!; outValues[r]![cursor[r]!++] = src[i]!; }
      }
    }
    for (let r = 0; r < n; r++) {
      if (counts[r] === 0) continue;
      columns[r]!.push({ type: first.type, length: counts[r]!, values: outValues[r]!, validity: outValid ? outValid[r]! : null });
    }
  }
  return Array.from({ length: n }, (_, r) => (counts[r] === 0 ? undefined : { numRows: counts[r]!, columns: columns[r]! }));
}

function groupRows(id: Int32Array, n: number): { order: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < id.length; i++) starts[id[i]! + 1]!++;
  for (let r = 0; r < n; r++) starts[r + 1]! += starts[r]!;
  const cursor = starts.slice(0, n);
  const order = new Int32Array(id.length);
  for (let i = 0; i < id.length; i++) order[cursor[id[i]!]!++] = i;
  return { order, starts };
}
