/**
 * Spark's adaptive coalescing of shuffle partitions: once a stage's parent
 * map stages are done their MapStatus sizes are known, and neighbouring
 * shuffle partitions are merged into tasks of about
 * `adaptive.advisoryPartitionSizeInBytes`, but never fewer tasks than the
 * cluster has cores (Spark's parallelism-first default), so 200 tiny
 * partitions run as a few tasks. Only a stage whose every row comes from
 * shuffles of its own partition count (no scans) qualifies; reading
 * neighbours together keeps keys within a task and range-partitioned order.
 * A join stage then has its skewed partitions split (see skew-join.ts).
 */
import type { ConfigValues } from "../common/config.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { physicalChildren } from "../physical/physical-plan.ts";
import type { MapOutputTracker } from "./map-output-tracker.ts";
import type { ReadSpec, SkewedPartition } from "./skew-join.ts";
import { skewJoinSides, splitSkewedPartitions } from "./skew-join.ts";
import type { Stage } from "./stage.ts";

/** The reads of a stage's tasks once adaptive execution re-planned them. */
export interface AdaptiveReads {
  specs: ReadSpec[];
  skewed: SkewedPartition[];
}

/** How the stage's tasks should read its shuffles, or null when they should stay one task a partition. */
export function adaptiveReads(stage: Stage, config: ConfigValues, tracker: MapOutputTracker, cores: number): AdaptiveReads | null {
  if (!config["adaptive.enabled"]) return null;
  if (stage.inputs.size === 0 || !readsOnlyShuffles(stage.fragment, stage.numTasks)) return null;
  const n = stage.numTasks;
  const mapBytes = (exchangeId: number, r: number): number[] => tracker.mapSizes(stage.inputs.get(exchangeId)!, r);
  const sideBytes = (exchangeId: number, r: number): number => mapBytes(exchangeId, r).reduce((a, b) => a + b, 0);
  const sizes = new Array<number>(n).fill(0);
  for (const exchangeId of stage.inputs.keys()) for (let r = 0; r < n; r++) sizes[r] += sideBytes(exchangeId, r);
  const total = sizes.reduce((a, b) => a + b, 0);
  const advisory = config["adaptive.advisoryPartitionSizeInBytes"];
  const target = Math.max(1, Math.min(advisory, Math.ceil(total / Math.max(1, cores))));
  const merged: [number, number][] = [];
  let start = 0, bytes = 0;
  for (let r = 0; r < n; r++) {
    if (r > start && bytes + sizes[r]! > target) { merged.push([start, r]); start = r; bytes = 0; }
    bytes += sizes[r]!;
  }
  merged.push([start, n]);
  // A join demoted to a hash join over a whole small side has no skew left to split.
  const sides = config["adaptive.skewJoin.enabled"] && !stage.wholeExchanges?.length ? skewJoinSides(stage.fragment) : null;
  const { specs, skewed } = sides
    ? splitSkewedPartitions(merged, n, sides, sideBytes, mapBytes, {
      factor: config["adaptive.skewJoin.skewedPartitionFactor"], thresholdBytes: config["adaptive.skewJoin.skewedPartitionThresholdInBytes"], advisoryBytes: advisory,
    })
    : { specs: merged.map((range) => ({ range })), skewed: [] };
  if (skewed.length === 0 && specs.length >= n) return null;
  return { specs, skewed };
}

/**
 * True when every row of `fragment`'s partition p comes from partition p of a
 * shuffle of `numPartitions` (broadcasts aside): nothing else in it (a scan, a
 * coalesce, an RDD function) reads by partition number.
 */
function readsOnlyShuffles(fragment: PhysicalPlan, numPartitions: number): boolean {
  if (fragment.type === "ShuffleExchangeExec") return fragment.partitioning.kind !== "single" && fragment.partitioning.numPartitions === numPartitions;
  if (fragment.type === "BroadcastExchangeExec") return true;
  if (fragment.type === "ScanExec" || fragment.type === "CoalesceExec" || fragment.type === "MapPartitionsExec") return false;
  const children = physicalChildren(fragment);
  return children.length > 0 && children.every((c) => readsOnlyShuffles(c, numPartitions));
}
