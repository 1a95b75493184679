/**
 * What an RDD needs from the session that made it (Spark's SparkContext):
 * configuration, a place for driver-side tables, the cache of lineages, the
 * backend that runs plans, and a way to make a DataFrame. The session
 * satisfies it; the RDD layer never imports the DataFrame API.
 */
import type { ConfigKey, ConfigValues } from "../common/config.ts";
import type { Batch } from "../exec/column-vector.ts";
import type { StorageLevel } from "../executor/task.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import type { Field } from "../types/data-types.ts";

/**
 * Names the type `rdd.toDF()` returns. The DataFrame API fills it in by
 * declaration merging (as hono's `ContextVariableMap` lets an app type its
 * context), so this layer needs no import of it:
 *
 * @example declare module "../rdd/rdd-context.ts" { interface RDDFrameTypes { frame: DataFrame } }
 */
export interface RDDFrameTypes {}

/** The DataFrame type, once the DataFrame API has named it. */
export type RDDFrame = RDDFrameTypes extends { frame: infer F } ? F : unknown;

/** Cached RDD lineages: planned when first needed, read as scans, dropped on unpersist. */
export interface LineageCache {
  cacheLineage(plan: () => Promise<PhysicalPlan>, schema: Field[], level?: StorageLevel): number;
  lineageScan(rddId: number): Promise<PhysicalPlan>;
  unpersistLineage(rddId: number): Promise<void>;
}

export interface RDDContext {
  readonly conf: { get<K extends ConfigKey>(key: K): ConfigValues[K] };
  readonly sources: { registerTable(partitions: Batch[][]): string };
  readonly cacheManager: LineageCache;
  readonly backend: { run(plan: PhysicalPlan, session: RDDContext): Promise<Batch[][]> };
  createDataFrame(rows: readonly Record<string, unknown>[]): RDDFrame;
}
