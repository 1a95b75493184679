/**
 * Spark's OptimizeSkewedJoin, decided when a join stage's map outputs are
 * known: a shuffle partition much larger than the others (more than
 * `adaptive.skewJoin.skewedPartitionFactor` times the median and over
 * `adaptive.skewJoin.skewedPartitionThresholdInBytes`) would make one task
 * run long after the rest. Its rows on the skewed side are split by map
 * output into runs of about the advisory size, and each run is joined with
 * the whole partition of the other side in a task of its own. That is
 * exact for every row of the split side meeting every matching row of the
 * other: so an inner join may split either side (both at once: every pair
 * of runs), a left outer/semi/anti join only its left side, a right outer
 * join only its right, and a full outer join neither.
 *
 * Only a stage whose join reads both inputs straight from shuffles (through
 * sorts, projections and filters) and whose other operators do not need a
 * whole partition (projections, filters, partial aggregation) is split.
 */
import type { PhysicalPlan } from "../physical/physical-plan.ts";

/** The exchanges (by `exchangeId`) whose reads may be split, one per join side; null where a side may not be. */
export interface SkewJoinSides {
  left: number | null;
  right: number | null;
}

/** One task of a stage after coalescing and skew splitting. */
export interface ReadSpec {
  /** Shuffle partitions [start, end) the task reads from every input. */
  range: [number, number];
  /** For a split partition: the map outputs [start, end) read from the named exchanges (by `exchangeId`). */
  mapRanges?: Record<number, [number, number]>;
}

/** A skewed partition as the StageSubmitted event reports it. */
export interface SkewedPartition {
  partition: number;
  /** Tasks it runs as. */
  splits: number;
}

export interface SkewJoinOptions {
  factor: number;
  thresholdBytes: number;
  advisoryBytes: number;
}

/** The exchange a join side reads, when it reads one straight (through sorts, projections and filters). */
function readExchange(p: PhysicalPlan): number | null {
  for (;;) {
    if (p.type === "ShuffleExchangeExec") return p.exchangeId;
    if (p.type === "SortExec" || p.type === "ProjectExec" || p.type === "FilterExec") { p = p.input; continue; }
    return null;
  }
}

/**
 * The sides of `fragment`'s join whose reads may be split, or null when the
 * fragment is not a shuffled join under row-by-row operators only.
 */
export function skewJoinSides(fragment: PhysicalPlan): SkewJoinSides | null {
  let p = fragment;
  for (;;) {
    if (p.type === "ProjectExec" || p.type === "FilterExec") { p = p.input; continue; }
    if (p.type === "HashAggregateExec" && p.mode === "partial") { p = p.input; continue; }
    break;
  }
  if (p.type !== "SortMergeJoinExec" && !(p.type === "HashJoinExec" && !p.broadcast)) return null;
  const left = readExchange(p.left), right = readExchange(p.right);
  if (left === null || right === null) return null;
  switch (p.joinType) {
    case "inner": return { left, right };
    case "left": case "left_semi": case "left_anti": return { left, right: null };
    case "right": return { left: null, right };
    default: return null;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Consecutive runs of map outputs of about `target` bytes each (Spark's ShufflePartitionsUtil.splitSizeListByTargetSize). */
function splitMaps(mapSizes: readonly number[], target: number): [number, number][] {
  const runs: [number, number][] = [];
  let start = 0, bytes = 0;
  for (let m = 0; m < mapSizes.length; m++) {
    if (m > start && bytes + mapSizes[m]! > target) { runs.push([start, m]); start = m; bytes = 0; }
    bytes += mapSizes[m]!;
  }
  runs.push([start, mapSizes.length]);
  return runs;
}

/**
 * The stage's tasks with each skewed single-partition task replaced by one
 * task per run of map outputs (per pair of runs when both sides are split).
 * `sideBytes(exchangeId, r)` is a side's bytes in partition r;
 * `mapBytes(exchangeId, r)` the bytes of each map output in it.
 */
export function splitSkewedPartitions(
  specs: readonly [number, number][], numPartitions: number, sides: SkewJoinSides,
  sideBytes: (exchangeId: number, r: number) => number, mapBytes: (exchangeId: number, r: number) => number[],
  options: SkewJoinOptions,
): { specs: ReadSpec[]; skewed: SkewedPartition[] } {
  const partitions = Array.from({ length: numPartitions }, (_, r) => r);
  const skewedOn = (exchangeId: number | null): { isSkewed: (r: number) => boolean; target: number } | null => {
    if (exchangeId === null) return null;
    const sizes = partitions.map((r) => sideBytes(exchangeId, r));
    const med = median(sizes);
    const isSkewed = (r: number) => sizes[r]! > options.factor * med && sizes[r]! > options.thresholdBytes;
    // As Spark: runs of the advisory size, or of the average non-skewed partition when that is larger.
    const normal = sizes.filter((_, r) => !isSkewed(r));
    const average = normal.length ? normal.reduce((a, b) => a + b, 0) / normal.length : 0;
    return { isSkewed, target: Math.max(options.advisoryBytes, average, 1) };
  };
  const left = skewedOn(sides.left), right = skewedOn(sides.right);
  const out: ReadSpec[] = [];
  const skewed: SkewedPartition[] = [];
  for (const range of specs) {
    const r = range[0];
    const runsOf = (side: typeof left, exchangeId: number | null): [number, number][] | null =>
      side && exchangeId !== null && range[1] - r === 1 && side.isSkewed(r) ? splitMaps(mapBytes(exchangeId, r), side.target) : null;
    const leftRuns = runsOf(left, sides.left), rightRuns = runsOf(right, sides.right);
    if ((leftRuns?.length ?? 1) * (rightRuns?.length ?? 1) === 1) { out.push({ range }); continue; }
    for (const l of leftRuns ?? [null]) {
      for (const rr of rightRuns ?? [null]) {
        const mapRanges: Record<number, [number, number]> = {};
        if (l) mapRanges[sides.left!] = l;
        if (rr) mapRanges[sides.right!] = rr;
        out.push({ range, mapRanges });
      }
    }
    skewed.push({ partition: r, splits: (leftRuns?.length ?? 1) * (rightRuns?.length ?? 1) });
  }
  return { specs: out, skewed };
}
