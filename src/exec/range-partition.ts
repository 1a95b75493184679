/**
 * Range partitioning for a global sort (Spark's RangePartitioner): a sample
 * of the sort keys gives `numPartitions - 1` bounds, and each row goes to
 * the partition its key falls in, so every row of partition i sorts before
 * every row of partition i + 1 and sorting each partition on its own gives
 * the global order. Rows equal to a bound go to the lower partition, so
 * equal keys always meet in one partition.
 */
import type { ColumnVector } from "./column-vector.ts";
import { concat, take } from "./column-vector.ts";
import type { SortDirection, SortKey } from "./sort/sort-keys.ts";
import { compareKeyRows, sortKeyOf } from "./sort/sort-keys.ts";
import { sortIndices } from "./sort/sort-indices.ts";

/** Sampled rows a partition's bound is chosen from (Spark samples 20 a partition; more costs little here). */
const SAMPLES_PER_PARTITION = 100;

/** The bounds: row b of `columns` is the upper bound (inclusive) of partition b. */
export interface RangeBounds {
  columns: ColumnVector[];
  count: number;
}

/**
 * Evenly spaced rows of the key columns of several batches, at most about
 * `SAMPLES_PER_PARTITION * numPartitions` in all. Deterministic, so a rerun
 * task gets the same bounds.
 */
export function sampleKeys(batchKeys: readonly ColumnVector[][], numPartitions: number): ColumnVector[] {
  const total = batchKeys.reduce((n, keys) => n + (keys[0]?.length ?? 0), 0);
  const target = Math.max(1, SAMPLES_PER_PARTITION * numPartitions);
  const stride = Math.max(1, total / target);
  const parts: ColumnVector[][] = [];
  let next = 0, seen = 0;
  for (const keys of batchKeys) {
    const rows = keys[0]?.length ?? 0;
    const picked: number[] = [];
    while (next < seen + rows) { picked.push(Math.floor(next) - seen); next += stride; }
    seen += rows;
    if (picked.length) parts.push(keys.map((k) => take(k, Int32Array.from(picked))));
  }
  if (parts.length === 0) return [];
  return parts[0]!.map((_, c) => concat(parts.map((p) => p[c]!)));
}

/** `numPartitions - 1` bounds chosen from the sampled keys (fewer when the sample is smaller). */
export function rangeBounds(sample: readonly ColumnVector[], dirs: readonly SortDirection[], numPartitions: number): RangeBounds {
  const m = sample[0]?.length ?? 0;
  if (m === 0 || numPartitions <= 1) return { columns: [], count: 0 };
  const order = sortIndices(sample.map((c, k) => sortKeyOf(c, dirs[k]!)), m);
  const picks: number[] = [];
  for (let b = 1; b < numPartitions; b++) {
    const at = Math.min(m - 1, Math.floor((b * m) / numPartitions));
    picks.push(order[at]!);
  }
  const idx = Int32Array.from(picks);
  return { columns: sample.map((c) => take(c, idx)), count: picks.length };
}

/**
 * Partition id of each row of `keys`: the first bound not less than the
 * row's key, or the last partition. Bounds and rows are ranked together, so
 * strings compare by bytes whatever their encoding.
 */
export function rangePartitionIds(keys: readonly ColumnVector[], bounds: RangeBounds, dirs: readonly SortDirection[], numRows: number): Int32Array {
  const ids = new Int32Array(numRows);
  const nb = bounds.count;
  if (nb === 0 || numRows === 0) return ids;
  // Row r of the combined keys: bound r (r < nb), or input row r - nb.
  const combined: SortKey[] = keys.map((k, c) => sortKeyOf(concat([bounds.columns[c]!, k]), dirs[c]!));
  const cmp = (bound: number, row: number): number => {
    for (let c = 0; c < combined.length; c++) {
      const d = compareKeyRows(combined[c]!, bound, combined[c]!, row);
      if (d !== 0) return d;
    }
    return 0;
  };
  for (let i = 0; i < numRows; i++) {
    const row = nb + i;
    let lo = 0, hi = nb;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(mid, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    ids[i] = lo;
  }
  return ids;
}
