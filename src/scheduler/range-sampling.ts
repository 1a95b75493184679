/**
 * The sampling pass before a range shuffle (Spark's RangePartitioner):
 * every map partition sends a sample of its sort keys, and once all have,
 * the driver cuts the key space into the shuffle's partitions.
 */
import type { ColumnVector } from "../exec/column-vector.ts";
import { concat } from "../exec/column-vector.ts";
import type { RangeBounds } from "../exec/range-partition.ts";
import { rangeBounds } from "../exec/range-partition.ts";
import type { Partitioning } from "../physical/physical-plan.ts";
import type { Stage } from "./stage.ts";
import { TaskSetManager } from "./task-set-manager.ts";

export class RangeSampling {
  /** Key samples of each stage's sampling pass, by partition. */
  private readonly samples = new Map<Stage, (ColumnVector[] | undefined)[]>();

  /** A new attempt of `stage` that only samples: its task set, to submit. */
  start(stage: Stage): TaskSetManager {
    this.samples.set(stage, new Array(stage.numTasks).fill(undefined));
    stage.attempt++;
    const partitions = Array.from({ length: stage.numTasks }, (_, i) => i);
    return new TaskSetManager(stage, stage.attempt, partitions, () => [], 0, Date.now(), true);
  }

  /** Records one partition's sample; the stage's bounds once every partition has sent one, else null. */
  add(stage: Stage, partition: number, keys: ColumnVector[]): RangeBounds | null {
    const samples = this.samples.get(stage);
    if (!samples || samples[partition] !== undefined) return null;
    samples[partition] = keys;
    if (samples.some((s) => s === undefined)) return null;
    this.samples.delete(stage);
    const part = stage.shuffle!.partitioning as Extract<Partitioning, { kind: "range" }>;
    const nonEmpty = (samples as ColumnVector[][]).filter((s) => s.length > 0 && s[0]!.length > 0);
    const sample = nonEmpty.length === 0 ? [] : part.orders.map((_, c) => concat(nonEmpty.map((s) => s[c]!)));
    return rangeBounds(sample, part.orders, part.numPartitions);
  }

  forget(stage: Stage): void {
    this.samples.delete(stage);
  }
}
