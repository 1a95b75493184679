/**
 * Where a task would rather run (Spark's preferred locations): on the
 * executor holding the cached partition or file split it scans, else on
 * the executors holding most of its shuffle input. The TaskSetManager
 * waits `locality.wait` for one of them before taking any executor.
 */
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { coalescedInputs, numPartitions, physicalChildren } from "../physical/physical-plan.ts";
import { cachedRddOf } from "../executor/task.ts";
import { scanTableId } from "../io/scan-metrics.ts";
import type { CacheTracker } from "./cache-tracker.ts";
import type { MapOutputTracker } from "./map-output-tracker.ts";
import type { SplitTracker } from "./split-tracker.ts";
import type { Stage } from "./stage.ts";

/** What the driver knows of where data is. */
export interface DataLocations {
  readonly tracker: MapOutputTracker;
  readonly cacheTracker: CacheTracker;
  readonly splitTracker: SplitTracker;
}

/** Executors holding at least a fifth of a reduce partition's input (Spark's REDUCER_PREF_LOCS_FRACTION). */
export function preferredLocations(stage: Stage, partition: number, where: DataLocations): string[] {
  const cached = cachedPartitionHolder(stage, partition, where);
  if (cached) return [cached];
  if (stage.inputs.size === 0) return [];
  const bytes = new Map<string, number>();
  let total = 0;
  const [start, end] = stage.reads?.[partition]?.range ?? [partition, partition + 1];
  for (const shuffleId of stage.inputs.values()) {
    for (let r = start; r < end; r++) {
      for (const [e, n] of where.tracker.bytesByExecutor(shuffleId, r)) { bytes.set(e, (bytes.get(e) ?? 0) + n); total += n; }
    }
  }
  if (total === 0) return [];
  return [...bytes].filter(([, n]) => n >= 0.2 * total).sort((a, b) => b[1] - a[1]).map(([e]) => e);
}

/**
 * The executor holding the cached partition that task `partition` of the
 * stage scans, when the path from the fragment's root to that cached scan
 * keeps partition numbers (narrow nodes, the streamed side of a broadcast
 * join), or the executor that read the file-scan split before (SplitTracker).
 */
function cachedPartitionHolder(stage: Stage, partition: number, where: DataLocations): string | null {
  let p: PhysicalPlan = stage.fragment;
  for (;;) {
    if (p.type === "ScanExec") {
      const rddId = cachedRddOf(p.source);
      if (rddId === null) return p.source.kind === "parquet" ? where.splitTracker.holder(scanTableId(p.source), partition) : null;
      return where.cacheTracker.locations(rddId)[partition] ?? null;
    }
    if (p.type === "HashJoinExec" && p.broadcast) { p = p.buildSide === "left" ? p.right : p.left; continue; }
    // A coalesced task reads a run of input partitions; prefer where the first one is.
    if (p.type === "CoalesceExec") { partition = coalescedInputs(partition, numPartitions(p.input), p.numPartitions)[0]; p = p.input; continue; }
    const children = physicalChildren(p);
    if (children.length !== 1 || p.type === "ShuffleExchangeExec" || p.type === "BroadcastExchangeExec" || p.type === "GlobalLimitExec") return null;
    p = children[0]!;
  }
}
