/**
 * Turns an RDD's lineage into a physical plan the ordinary runtime runs:
 * narrow operations fuse into one MapPartitionsExec per stage; reduceByKey
 * and groupByKey become a map side laid out as `[key, value]` columns, a
 * hash Exchange on the key column, and a reduce side; join shuffles both
 * sides by key into an inner HashJoinExec. Stages, shuffles, retries and
 * listener events are then the DAGScheduler's, exactly as for a DataFrame.
 */
import type { Expr } from "../plan/expressions.ts";
import { newExprId } from "../plan/expressions.ts";
import type { Field } from "../types/data-types.ts";
import { UTF8 } from "../types/data-types.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import type { RDDLayout, RDDStep } from "../physical/operators/rdd-steps.ts";
import type { FunctionBinding, SerializedFunction } from "../physical/operators/rdd-function.ts";

/**
 * How an RDD was made (Spark's RDD dependencies). `cachedAs`, set by `rdd.cache()` on the RDD's own node,
 * names its cached partitions (`rdd_<id>`); the node is shared by every RDD made from it, before or after
 * the call, so all of them read the cache, as in Spark.
 */
export type Lineage = { cachedAs?: number } & (
  /** `session.parallelize`: a scan of the memory table holding the encoded elements. */
  | { kind: "source"; scan: PhysicalPlan }
  | { kind: "narrow"; parent: Lineage; step: RDDStep }
  /** reduceByKey (`reduce` set, combined on the map side too) or groupByKey (`reduce` null). */
  | { kind: "shuffle"; parent: Lineage; reduce: SerializedFunction | null; numPartitions: number }
  | { kind: "join"; left: Lineage; right: Lineage; numPartitions: number }
  /** The partitions of every input, in order. */
  | { kind: "union"; inputs: Lineage[] });

/** Scans of the cached RDDs a lineage reads, by RDD id (from `CacheManager.lineageScan`). */
export type CachedScans = ReadonlyMap<number, PhysicalPlan>;

// Exchange ids only need to be unique within one plan; a range of their own keeps RDD shuffles apart from DataFrame ones in explain output.
let nextExchangeId = 1 << 30;

/**
 * The cached RDDs a lineage reads directly, for the scans `planLineage` takes (a cached RDD's own
 * lineage, with any cached RDD under it, is planned when it is computed).
 */
export function cachedRdds(l: Lineage): number[] {
  if (l.cachedAs !== undefined) return [l.cachedAs];
  switch (l.kind) {
    case "source": return [];
    case "narrow": case "shuffle": return cachedRdds(l.parent);
    case "join": return [...cachedRdds(l.left), ...cachedRdds(l.right)];
    case "union": return l.inputs.flatMap(cachedRdds);
  }
}

export function field(name: string): Field {
  return { name, type: UTF8, nullable: true, id: newExprId() };
}

function layoutSchema(layout: RDDLayout): Field[] {
  if (layout === "value") return [field("value")];
  if (layout === "pair") return [field("key"), field("value")];
  return [field("key"), field("value"), field("key"), field("value")];
}

const KEY: Expr = { type: "boundRef", index: 0, dataType: UTF8, nullable: true };

/** Number of partitions an RDD with this lineage has. */
export function lineagePartitions(l: Lineage): number {
  switch (l.kind) {
    case "source": return l.scan.type === "ScanExec" ? l.scan.numPartitions : 1;
    case "narrow": return lineagePartitions(l.parent);
    case "shuffle": case "join": return l.numPartitions;
    case "union": return l.inputs.reduce((n, i) => n + lineagePartitions(i), 0);
  }
}

/**
 * The plan whose output holds the RDD's elements after `tail` steps, in `output` layout.
 * A cached RDD found in `cached` is read from its scan; one not there is computed from its lineage
 * (`ownCache` false: `l`'s own cache is the one being computed).
 *
 * @example planLineage(rdd.lineage, [{ kind: "count" }], "value")
 */
export function planLineage(l: Lineage, tail: RDDStep[], output: RDDLayout, cached: CachedScans = new Map(), ownCache = true): PhysicalPlan {
  const plan = (x: Lineage, steps: RDDStep[], layout: RDDLayout) => planLineage(x, steps, layout, cached);
  const scan = ownCache && l.cachedAs !== undefined ? cached.get(l.cachedAs) : undefined;
  if (scan) return mapPartitions(scan, "value", tail, output);
  switch (l.kind) {
    case "narrow": return plan(l.parent, [l.step, ...tail], output);
    case "source": return mapPartitions(l.scan, "value", tail, output);
    case "shuffle": {
      // Spark's reduceByKey combines on the map side first, so the shuffle moves one row per key per map task.
      const mapSide = plan(l.parent, l.reduce ? [{ kind: "reduceByKey", fn: l.reduce }] : [], "pair");
      const first: RDDStep = l.reduce ? { kind: "reduceByKey", fn: l.reduce } : { kind: "groupByKey" };
      return mapPartitions(exchange(mapSide, l.numPartitions), "pair", [first, ...tail], output);
    }
    case "join": {
      const left = exchange(plan(l.left, [], "pair"), l.numPartitions);
      const right = exchange(plan(l.right, [], "pair"), l.numPartitions);
      const join: PhysicalPlan = {
        type: "HashJoinExec", left, right, joinType: "inner", leftKeys: [KEY], rightKeys: [KEY], condition: null,
        buildSide: "right", broadcast: false, schema: [...left.schema, ...right.schema],
      };
      return mapPartitions(join, "joined", tail, output);
    }
    case "union": {
      // Steps run per partition, so applying them in each input is the same as after the union.
      const inputs = l.inputs.map((i) => plan(i, tail, output));
      return { type: "UnionExec", inputs, schema: inputs[0]!.schema };
    }
  }
}

function exchange(input: PhysicalPlan, numPartitions: number): PhysicalPlan {
  return { type: "ShuffleExchangeExec", input, partitioning: { kind: "hash", keys: [KEY], numPartitions }, exchangeId: nextExchangeId++, schema: input.schema };
}

function mapPartitions(input: PhysicalPlan, inputLayout: RDDLayout, steps: RDDStep[], outputLayout: RDDLayout): PhysicalPlan {
  if (steps.length === 0 && inputLayout === outputLayout) return input;
  return { type: "MapPartitionsExec", input, inputLayout, steps, outputLayout, broadcasts: broadcastScans(steps), schema: layoutSchema(outputLayout) };
}

/** One-row memory scans of the broadcasts the steps' functions use (shipped with the task's tables). */
function broadcastScans(steps: readonly RDDStep[]): PhysicalPlan[] {
  const found = new Map<string, number>();
  const visit = (bindings: readonly FunctionBinding[]) => {
    for (const b of bindings) {
      if (b.kind === "broadcast") found.set(b.tableId, b.sizeBytes);
      else if (b.kind === "function") visit(b.fn.bindings);
    }
  };
  for (const s of steps) if ("fn" in s) visit(s.fn.bindings);
  return [...found].map(([tableId, sizeBytes]) => {
    const schema = [field("value")];
    return {
      type: "ScanExec", schema, sourceSchema: schema, projection: null, filters: [], numPartitions: 1,
      source: { kind: "memory", tableId, numPartitions: 1, rowCount: 1, sizeBytes },
    };
  });
}
