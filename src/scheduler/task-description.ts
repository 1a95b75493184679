/**
 * The TaskDescription an executor runs: the stage's plan fragment, where
 * each shuffle it reads was written, where the cached RDDs it scans are,
 * which run of partitions it reads (after adaptive coalescing or skew
 * splitting), and what it writes (a shuffle, a range sample, a cached
 * block or a result).
 */
import type { ConfigValues } from "../common/config.ts";
import type { Partitioning, PhysicalPlan } from "../physical/physical-plan.ts";
import { physicalChildren } from "../physical/physical-plan.ts";
import type { ShuffleInput, TaskDescription } from "../executor/task.ts";
import { cachedRddOf } from "../executor/task.ts";
import type { CacheTracker } from "./cache-tracker.ts";
import type { MapOutputTracker } from "./map-output-tracker.ts";
import type { TaskLaunch } from "./task-scheduler.ts";
import type { StorageLevel } from "../executor/task.ts";

/** What of its job a task's description needs. */
export interface JobOfTask {
  readonly config: ConfigValues;
  /** Set for a persist job: result tasks keep their partition as cached block `rdd_<persistAs>_<p>`. */
  readonly persistAs?: number;
  readonly storageLevel?: StorageLevel;
}

export function describeTask(l: TaskLaunch, job: JobOfTask, tracker: MapOutputTracker, cacheTracker: CacheTracker): TaskDescription {
  const stage = l.taskSet.stage;
  const shuffles: Record<number, ShuffleInput> = {};
  for (const [exchangeId, shuffleId] of stage.inputs) shuffles[exchangeId] = { shuffleId, locations: tracker.locations(shuffleId) };
  const cached = cachedInputs(stage.fragment, cacheTracker);
  const read = stage.reads?.[l.partition];
  return {
    jobId: stage.jobId, stageId: stage.id, stageAttempt: l.taskSet.stageAttempt, taskId: l.taskId, attempt: l.attempt, partition: l.partition,
    plan: stage.fragment, shuffles, config: job.config, ...(cached ? { cached } : {}),
    ...(read ? { reduceRange: read.range } : {}),
    ...(read?.mapRanges ? { mapRanges: read.mapRanges } : {}),
    ...(stage.wholeExchanges?.length ? { wholeExchanges: stage.wholeExchanges } : {}),
    output: !stage.shuffle ? (job.persistAs !== undefined ? { kind: "cache", rddId: job.persistAs, useDisk: job.storageLevel === "MEMORY_AND_DISK" } : { kind: "result" })
      : l.taskSet.sampling ? { kind: "sample", partitioning: stage.shuffle.partitioning as Extract<Partitioning, { kind: "range" }> }
      : { kind: "shuffle", shuffleId: stage.shuffle.shuffleId, partitioning: stage.shuffle.partitioning, ...(stage.rangeBounds ? { rangeBounds: stage.rangeBounds } : {}) },
  };
}

/** Cached RDDs a fragment scans, with where each partition is. */
function cachedInputs(fragment: PhysicalPlan, cacheTracker: CacheTracker): Record<number, (string | null)[]> | undefined {
  let out: Record<number, (string | null)[]> | undefined;
  const visit = (p: PhysicalPlan) => {
    if (p.type === "ScanExec") {
      const rddId = cachedRddOf(p.source);
      if (rddId !== null) (out ??= {})[rddId] = cacheTracker.locations(rddId);
    }
    physicalChildren(p).forEach(visit);
  };
  visit(fragment);
  return out;
}
