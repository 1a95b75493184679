/**
 * The data that describes what a MapPartitionsExec does to the RDD
 * elements of one partition: how elements sit in its input and output
 * columns (layouts) and the fused chain of steps between them (Spark
 * pipelines narrow RDD operations inside one stage the same way). Plain
 * data, so it travels inside a task's plan fragment.
 */
import type { SerializedFunction } from "./rdd-function.ts";

/**
 * How elements are laid out in columns (every column utf8, see rdd-value-codec.ts):
 * - `value`: one column, the encoded element;
 * - `pair`: `[key, value]` elements as two columns, so the hash Exchange and the hash join can key on column 0;
 * - `joined`: the output of an inner hash join of two `pair` inputs (`key, left value, key, right value`), read as `[key, [left, right]]`.
 */
export type RDDLayout = "value" | "pair" | "joined";

export type RDDStep =
  | { kind: "map" | "filter" | "flatMap" | "mapValues" | "mapPartitions"; fn: SerializedFunction }
  /** Merges the values of equal keys within the partition (both sides of reduceByKey: map-side combine and the final reduce). */
  | { kind: "reduceByKey"; fn: SerializedFunction }
  /** Gathers the values of equal keys within the partition into an array. */
  | { kind: "groupByKey" }
  /** One element per partition: its element count. */
  | { kind: "count" }
  /** At most one element per partition: its elements folded with `fn` (the driver folds the partials). */
  | { kind: "reduce"; fn: SerializedFunction }
  /** The partition's first `n` elements (the driver keeps the first `n` overall). */
  | { kind: "take"; n: number };

export function describeSteps(steps: readonly RDDStep[], input: RDDLayout, output: RDDLayout): string {
  return `[${steps.map((s) => s.kind).join(", ")}] ${input}->${output}`;
}
