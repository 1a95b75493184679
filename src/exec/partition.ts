/**
 * Splitting a batch among the reduce partitions of a shuffle. Hash
 * partitioning uses the same row hash as joins and aggregates (`hash.ts`),
 * so every executor sends a key to the same reducer.
 */
import type { Batch, ColumnVector } from "./column-vector.ts";
import { takeBatch } from "./column-vector.ts";
import { hashRows } from "./hash.ts";

/** Partition id of each row for hash partitioning into `n` partitions. */
export function hashPartitionIds(keys: readonly ColumnVector[], numRows: number, n: number): Int32Array {
  const hashes = hashRows(keys, numRows);
  const ids = new Int32Array(numRows);
  for (let i = 0; i < numRows; i++) ids[i] = hashes[i]! % n;
  return ids;
}

/** Splits `batch` by per-row partition ids; empty partitions get no batch (undefined). */
export function splitByPartition(batch: Batch, ids: Int32Array, n: number): (Batch | undefined)[] {
  const counts = new Int32Array(n);
  for (let i = 0; i < batch.numRows; i++) counts[ids[i]!]!++;
  const starts = new Int32Array(n + 1);
  for (let p = 0; p < n; p++) starts[p + 1] = starts[p]! + counts[p]!;
  const order = new Int32Array(batch.numRows);
  const cursor = starts.slice(0, n);
  for (let i = 0; i < batch.numRows; i++) order[cursor[ids[i]!]!++] = i;
  const out: (Batch | undefined)[] = new Array(n);
  for (let p = 0; p < n; p++) {
    if (counts[p] === 0) continue;
    out[p] = counts[p] === batch.numRows ? batch : takeBatch(batch, order.subarray(starts[p]!, starts[p + 1]!));
  }
  return out;
}

/**
 * Partition ids for round-robin partitioning (Spark's RoundRobinPartitioning):
 * a map task's `i`-th row goes to `(start + i) % n`, row by row, so one big
 * batch still spreads evenly. `start` is the position after the task's
 * previous batch; each task starts at its map index, as both engines do, so
 * a rerun places every row where it went before. Adds to `counts` when given.
 */
export function roundRobinPartitionIds(numRows: number, n: number, start: number, counts?: Int32Array): Int32Array {
  const ids = new Int32Array(numRows);
  let p = start % n;
  for (let i = 0; i < numRows; i++) {
    ids[i] = p;
    if (++p === n) p = 0;
  }
  if (counts) for (let i = 0; i < numRows; i++) counts[ids[i]!]!++;
  return ids;
}
