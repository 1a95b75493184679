/**
 * Spark's adaptive "demote to broadcast" (AQE's OptimizeSkewedJoin's
 * sibling, DynamicJoinSelection + the broadcast conversion): once a join
 * stage's parent map stages are done, a sort-merge or shuffled hash join
 * one of whose sides measured under `autoBroadcastJoinThreshold` becomes a
 * hash join that builds that side whole in every task, read from all of its
 * shuffle's partitions, so nothing is sorted and no partition waits on a
 * large build. Only join types that never emit unmatched build rows
 * qualify (each task sees the whole build side, and would emit them once
 * per task): inner, left outer / semi / anti building the right side, right
 * outer building the left.
 */
import type { ConfigValues } from "../common/config.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { physicalChildren, withPhysicalChildren } from "../physical/physical-plan.ts";
import type { MapOutputTracker } from "./map-output-tracker.ts";
import type { DemotedJoin, Stage } from "./stage.ts";

const canBuild = (joinType: string, side: "left" | "right"): boolean =>
  joinType === "inner" || (side === "right" ? ["left", "left_semi", "left_anti"].includes(joinType) : joinType === "right");

/**
 * The stage's fragment with its joins demoted where they qualify, and the exchanges now read whole; null
 * when nothing changed.
 */
export function demoteJoins(stage: Stage, config: ConfigValues, tracker: MapOutputTracker):
  { fragment: PhysicalPlan; wholeExchanges: number[]; demoted: DemotedJoin[] } | null {
  const threshold = config.autoBroadcastJoinThreshold;
  if (!config["adaptive.enabled"] || threshold <= 0) return null;
  const bytesOf = (p: PhysicalPlan): number | null => {
    if (p.type !== "ShuffleExchangeExec") return null;
    const shuffleId = stage.inputs.get(p.exchangeId);
    if (shuffleId === undefined || !tracker.isAvailable(shuffleId)) return null;
    const n = p.partitioning.kind === "single" ? 1 : p.partitioning.numPartitions;
    let total = 0;
    for (let r = 0; r < n; r++) total += tracker.mapSizes(shuffleId, r).reduce((a, b) => a + b, 0);
    return total;
  };
  const whole: number[] = [];
  const demoted: DemotedJoin[] = [];
  const visit = (p: PhysicalPlan): PhysicalPlan => {
    const q = withPhysicalChildren(p, physicalChildren(p).map(visit));
    if (!(q.type === "SortMergeJoinExec" || (q.type === "HashJoinExec" && !q.broadcast))) return q;
    const sides = (["right", "left"] as const).map((side) => ({ side, bytes: bytesOf(side === "left" ? q.left : q.right) }))
      .filter((s): s is { side: "left" | "right"; bytes: number } => s.bytes !== null && s.bytes <= threshold && canBuild(q.joinType, s.side))
      .sort((a, b) => a.bytes - b.bytes);
    const pick = sides[0];
    if (!pick) return q;
    const build = pick.side === "left" ? q.left : q.right;
    whole.push((build as Extract<PhysicalPlan, { type: "ShuffleExchangeExec" }>).exchangeId);
    demoted.push({ from: q.type, buildSide: pick.side, buildBytes: pick.bytes });
    return {
      type: "HashJoinExec", left: q.left, right: q.right, joinType: q.joinType, leftKeys: q.leftKeys, rightKeys: q.rightKeys,
      condition: q.condition, buildSide: pick.side, broadcast: false, ...(q.projection ? { projection: q.projection } : {}), schema: q.schema,
    } as PhysicalPlan;
  };
  const fragment = visit(stage.fragment);
  return demoted.length ? { fragment, wholeExchanges: whole, demoted } : null;
}
