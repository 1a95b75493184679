/**
 * `RDD<T>`: Spark's resilient distributed dataset, for code that wants
 * functions over elements rather than columns. Transformations are lazy
 * and build a lineage; an action plans it (rdd-planner.ts) and runs it on
 * the session's backend, so an RDD job gets the same stages, shuffles,
 * task retries and listener events as a DataFrame job, on the local
 * backend or a cluster. Functions travel as source text: one that uses an
 * outside variable must be given its value in `env` (or a broadcast),
 * otherwise the call fails at once with NOT_SERIALIZABLE naming it.
 *
 * @example
 * const counts = await session.parallelize(lines, 4)
 *   .flatMap((line) => line.split(" "))
 *   .map((w): [string, number] => [w, 1])
 *   .reduceByKey((a, b) => a + b)
 *   .collect();
 */
import { CinderError, ResultTooLargeError, UnsupportedError } from "../common/errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import type { StorageLevel } from "../executor/task.ts";
import { batchByteSize, isValidAt, stringAt } from "../exec/column-vector.ts";
import { physicalToString } from "../physical/physical-plan.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { decodeValue } from "../physical/operators/rdd-value-codec.ts";
import type { RDDStep } from "../physical/operators/rdd-steps.ts";
import { UserFunctionError } from "../physical/operators/rdd-function.ts";
import type { RDDContext, RDDFrame } from "./rdd-context.ts";
import type { FunctionEnv } from "./function-serializer.ts";
import { serializeFunction } from "./function-serializer.ts";
import type { CachedScans, Lineage } from "./rdd-planner.ts";
import { cachedRdds, field, lineagePartitions, planLineage } from "./rdd-planner.ts";

export class RDD<T> {
  /** @internal Make RDDs with `session.parallelize` and transformations. */
  constructor(readonly session: RDDContext, readonly lineage: Lineage) {}

  getNumPartitions(): number { return lineagePartitions(this.lineage); }

  private narrow<U>(step: RDDStep): RDD<U> {
    return new RDD<U>(this.session, { kind: "narrow", parent: this.lineage, step });
  }

  /** @example rdd.map((x) => x * 2) */
  map<U>(fn: (x: T) => U, env?: FunctionEnv): RDD<U> {
    return this.narrow({ kind: "map", fn: serializeFunction(fn, env, "map") });
  }

  /** Keeps the elements for which `fn` is truthy. @example rdd.filter((x) => x % 2 === 0) */
  filter(fn: (x: T) => unknown, env?: FunctionEnv): RDD<T> {
    return this.narrow({ kind: "filter", fn: serializeFunction(fn, env, "filter") });
  }

  /** Each element to zero or more (`fn` returns an array or a generator). @example lines.flatMap((l) => l.split(" ")) */
  flatMap<U>(fn: (x: T) => Iterable<U>, env?: FunctionEnv): RDD<U> {
    return this.narrow({ kind: "flatMap", fn: serializeFunction(fn, env, "flatMap") });
  }

  /**
   * A whole partition at once: `fn` gets an iterable of its elements and
   * returns an iterable. The place to create per-partition state (a
   * parser, a cache) that could not be shipped.
   *
   * @example rdd.mapPartitions(function* (it) { const seen = new Set(); for (const x of it) if (!seen.has(x)) { seen.add(x); yield x; } })
   */
  mapPartitions<U>(fn: (elements: Iterable<T>) => Iterable<U>, env?: FunctionEnv): RDD<U> {
    return this.narrow({ kind: "mapPartitions", fn: serializeFunction(fn, env, "mapPartitions") });
  }

  /** Maps the value of each `[key, value]` pair. @example pairs.mapValues((v) => v * 10) */
  mapValues<K, V, W>(this: RDD<[K, V]>, fn: (v: V) => W, env?: FunctionEnv): RDD<[K, W]> {
    return this.narrow({ kind: "mapValues", fn: serializeFunction(fn, env, "mapValues") });
  }

  /**
   * Merges the values of each key with `fn` (associative and commutative),
   * on the map side and after the shuffle. Keys are equal when their
   * encodings are (`[1, 2]` equals `[1, 2]`; `1` and `"1"` differ).
   *
   * @example words.map((w): [string, number] => [w, 1]).reduceByKey((a, b) => a + b)
   */
  reduceByKey<K, V>(this: RDD<[K, V]>, fn: (a: V, b: V) => V, numPartitions?: number, env?: FunctionEnv): RDD<[K, V]> {
    const reduce = serializeFunction(fn, env, "reduceByKey");
    return new RDD(this.session, { kind: "shuffle", parent: this.lineage, reduce, numPartitions: this.shufflePartitions(numPartitions) });
  }

  /** The values of each key, gathered into an array after a shuffle. @example pairs.groupByKey() */
  groupByKey<K, V>(this: RDD<[K, V]>, numPartitions?: number): RDD<[K, V[]]> {
    return new RDD(this.session, { kind: "shuffle", parent: this.lineage, reduce: null, numPartitions: this.shufflePartitions(numPartitions) });
  }

  /** Inner join of two pair RDDs by key: `[key, [left, right]]` for every matching pair. @example users.join(orders) */
  join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W]]> {
    if (other.session !== this.session) {
      throw new CinderError("WRONG_ARGUMENT", "join needs two RDDs of the same session", { details: {} });
    }
    const n = numPartitions ?? Math.max(this.getNumPartitions(), other.getNumPartitions());
    return new RDD(this.session, { kind: "join", left: this.lineage, right: other.lineage, numPartitions: checkPartitions(n) });
  }

  /** The keys of a pair RDD. @example pairs.keys() */
  keys<K, V>(this: RDD<[K, V]>): RDD<K> {
    return this.narrow({ kind: "map", fn: { source: "(pair) => pair[0]", bindings: [] } });
  }

  /** The values of a pair RDD. @example pairs.values() */
  values<K, V>(this: RDD<[K, V]>): RDD<V> {
    return this.narrow({ kind: "map", fn: { source: "(pair) => pair[1]", bindings: [] } });
  }

  /** The distinct elements (equal when their encodings are), after a shuffle. @example rdd.distinct() */
  distinct(numPartitions?: number): RDD<T> {
    const keyed: Lineage = { kind: "narrow", parent: this.lineage, step: { kind: "map", fn: { source: "(x) => [x, null]", bindings: [] } } };
    const reduced: Lineage = { kind: "shuffle", parent: keyed, reduce: { source: "(a) => a", bindings: [] }, numPartitions: this.shufflePartitions(numPartitions) };
    return new RDD<[T, null]>(this.session, reduced).keys();
  }

  /** The elements of both RDDs, without removing duplicates (the partitions of this one, then the other's). @example a.union(b) */
  union(other: RDD<T>): RDD<T> {
    if (other.session !== this.session) throw new CinderError("WRONG_ARGUMENT", "union needs two RDDs of the same session", { details: {} });
    return new RDD<T>(this.session, { kind: "union", inputs: [this.lineage, other.lineage] });
  }

  /**
   * Keeps this RDD's partitions once the next action computes them (in the executors' BlockManagers on a
   * cluster, in the session locally); later actions on it and on every RDD made from it read them instead
   * of recomputing the lineage. A lost cached partition is recomputed from the lineage. Returns this RDD,
   * as Spark's does.
   *
   * @example const words = lines.flatMap((l) => l.split(" ")).cache(); await words.count(); await words.distinct().count();
   */
  cache(): this { return this.persist(); }

  /** `cache()` with Spark's storage level (see DataFrame.persist). @example rdd.persist("MEMORY_AND_DISK") */
  persist(storageLevel: StorageLevel = "MEMORY_ONLY"): this {
    const node = this.lineage, session = this.session;
    if (node.cachedAs !== undefined) return this;
    // Planned when first needed, without this node's own cache (the one being computed).
    node.cachedAs = session.cacheManager.cacheLineage(
      async () => planLineage(node, [], "value", await cachedScans(session, { ...node, cachedAs: undefined }), false), [field("value")], storageLevel);
    return this;
  }

  /** Drops the cached partitions; later actions recompute the lineage. @example await words.unpersist() */
  async unpersist(): Promise<this> {
    const rddId = this.lineage.cachedAs;
    if (rddId !== undefined) {
      delete this.lineage.cachedAs;
      await this.session.cacheManager.unpersistLineage(rddId);
    }
    return this;
  }

  /** True after `cache()`/`persist()` until `unpersist()`. */
  get isCached(): boolean { return this.lineage.cachedAs !== undefined; }

  /** Spark's default partitioner: as many partitions as the parent, unless given. */
  private shufflePartitions(n: number | undefined): number {
    return checkPartitions(n ?? this.getNumPartitions());
  }

  /** Every element, partitions in order. @example await rdd.collect() */
  async collect(): Promise<T[]> {
    return (await this.run([])) as T[];
  }

  /** The first `n` elements, in partition order. @example await rdd.take(5) */
  async take(n: number): Promise<T[]> {
    if (!Number.isInteger(n) || n < 0) throw new CinderError("WRONG_ARGUMENT", `take expects a non-negative integer, got ${n}`, { details: { n } });
    return ((await this.run([{ kind: "take", n }])) as T[]).slice(0, n);
  }

  /** @example await rdd.count() */
  async count(): Promise<number> {
    const partials = await this.run([{ kind: "count" }]);
    return (partials as number[]).reduce((a, b) => a + b, 0);
  }

  /** Folds every element with `fn` (associative and commutative); fails on an empty RDD. @example await rdd.reduce((a, b) => a + b) */
  async reduce(fn: (a: T, b: T) => T, env?: FunctionEnv): Promise<T> {
    const partials = (await this.run([{ kind: "reduce", fn: serializeFunction(fn, env, "reduce") }])) as T[];
    if (partials.length === 0) throw new UnsupportedError("reduce() of an empty RDD has no result; check count() first", {});
    let acc: T = partials[0] as T;
    for (let i = 1; i < partials.length; i++) {
      try { acc = fn(acc, partials[i] as T); } catch (e) {
        throw new UserFunctionError("TASK_FAILED", `the reduce function threw on the driver while merging partition results: ${e instanceof Error ? e.message : String(e)}`, { details: { operation: "reduce" }, cause: e });
      }
    }
    return acc;
  }

  /**
   * Collects the RDD into a DataFrame (an action: it runs now). Objects
   * become rows; arrays become columns named by `names` (default `_1`,
   * `_2`, ... as in Spark); other values a column `names[0]` or `value`.
   *
   * @example const df = await pairs.toDF("word", "count")
   */
  async toDF(...names: string[]): Promise<RDDFrame> {
    const rows = (await this.collect()).map((e): Record<string, unknown> => {
      if (Array.isArray(e)) return Object.fromEntries(e.map((v, i) => [names[i] ?? `_${i + 1}`, v]));
      if (e !== null && typeof e === "object" && !(e instanceof Date)) return e as Record<string, unknown>;
      return { [names[0] ?? "value"]: e };
    });
    return this.session.createDataFrame(rows);
  }

  /** The physical plan an action would run (without the action's last step). */
  explain(): string {
    return physicalToString(planLineage(this.lineage, [], "value"));
  }

  private async run(tail: RDDStep[]): Promise<unknown[]> {
    const plan: PhysicalPlan = planLineage(this.lineage, tail, "value", await cachedScans(this.session, this.lineage));
    const partitions = await this.session.backend.run(plan, this.session);
    return decodeResult(partitions, this.session.conf.get("maxResultSize"));
  }
}

/** Scans of the cached RDDs `lineage` reads, computing those not computed yet. */
async function cachedScans(session: RDDContext, lineage: Lineage): Promise<CachedScans> {
  const scans = new Map<number, PhysicalPlan>();
  for (const rddId of cachedRdds(lineage)) scans.set(rddId, await session.cacheManager.lineageScan(rddId));
  return scans;
}

function checkPartitions(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new CinderError("WRONG_ARGUMENT", `numPartitions must be a positive integer, got ${n}`, { details: { numPartitions: n } });
  return n;
}

function decodeResult(partitions: Batch[][], maxResultSize: number): unknown[] {
  const out: unknown[] = [];
  let bytes = 0;
  for (const batches of partitions) {
    for (const b of batches) {
      bytes += batchByteSize(b);
      if (bytes > maxResultSize) {
        throw new ResultTooLargeError("RESULT_TOO_LARGE", `the RDD's result is larger than maxResultSize (${maxResultSize} bytes); reduce it on the executors first (reduceByKey, count) or raise maxResultSize`,
          { details: { maxResultSize, bytesSoFar: bytes } });
      }
      const col = b.columns[0]!;
      for (let i = 0; i < b.numRows; i++) out.push(isValidAt(col, i) ? decodeValue(stringAt(col, i)) : null);
    }
  }
  return out;
}
