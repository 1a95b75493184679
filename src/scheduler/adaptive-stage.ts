/**
 * Adaptive execution at a stage's first submission, once its parents' map
 * outputs are measured: joins with a small side are demoted to hash joins
 * (demote-joins.ts), then the reads are coalesced and skewed partitions
 * split (adaptive-reads.ts).
 */
import type { ConfigValues } from "../common/config.ts";
import { adaptiveReads } from "./adaptive-reads.ts";
import { demoteJoins } from "./demote-joins.ts";
import type { MapOutputTracker } from "./map-output-tracker.ts";
import type { Stage } from "./stage.ts";

/**
 * Re-plans `stage` in place; returns its new task count when the reads changed it, else null.
 * `keepPartitions`: the job needs the stage's partitions as they are (a persist job, chosen partitions).
 */
export function replanStage(stage: Stage, config: ConfigValues, tracker: MapOutputTracker, cores: number, keepPartitions: boolean): number | null {
  const demoted = demoteJoins(stage, config, tracker);
  if (demoted) {
    stage.fragment = demoted.fragment;
    stage.wholeExchanges = demoted.wholeExchanges;
    stage.demoted = demoted.demoted;
  }
  if (keepPartitions) return null;
  const reads = adaptiveReads(stage, config, tracker, cores);
  if (!reads) return null;
  stage.coalescedFrom = stage.numTasks;
  stage.reads = reads.specs;
  stage.skewed = reads.skewed;
  stage.numTasks = reads.specs.length;
  return stage.numTasks;
}
