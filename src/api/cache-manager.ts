/**
 * Caching of DataFrames (Spark's CacheManager): `df.cache()` registers the
 * DataFrame's resolved plan; before a query runs, every subtree equal to a
 * cached plan is replaced by a Scan of its cached partitions (Spark's
 * InMemoryRelation, shown by `explain` as `InMemoryRelation:rdd_<id>`).
 * The partitions are computed by the first action that needs them. On a
 * cluster they stay in the executors' BlockManagers as `rdd_<id>_<p>`
 * blocks and the cluster recomputes lost ones from lineage; on the local
 * backend the batches are kept here, in the session.
 *
 * @example
 * const hot = df.filter(col("v").gt(10)).cache();
 * await hot.count();                       // computes and caches
 * await hot.groupBy("k").count().show();   // reads the cached partitions
 * hot.unpersist();
 */
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { outputSchema, planChildren, withChildren } from "../plan/logical-plan.ts";
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize, projectBatch } from "../exec/column-vector.ts";
import type { DataSource } from "../plan/logical-plan.ts";
import type { Field } from "../types/data-types.ts";
import type { Expr } from "../plan/expressions.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { numPartitions } from "../physical/physical-plan.ts";
import { estimateStatistics } from "../plan/statistics.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import type { FormatReader } from "../io/source-registry.ts";
import { CACHED_FORMAT, cachedRddOf, cachedRddPartitions, newRddId } from "../executor/task.ts";
import { IOError } from "../common/errors.ts";
import type { Session } from "./session.ts";
import type { StorageLevel } from "../executor/task.ts";
import type { RunOptions } from "../common/cancellation.ts";
import { abortable, throwIfAborted } from "../common/cancellation.ts";


/** What a persisted RDD holds once computed. */
export interface CachedRddInfo {
  rddId: number;
  numPartitions: number;
  rowCount: number;
  sizeBytes: number;
}

/** A backend that keeps cached partitions itself (a cluster); the local backend has no such methods. */
export interface PersistingBackend {
  /** Makes sure every partition of `rddId` (computed by `plan`) is cached; returns what is held. */
  persist(rddId: number, plan: PhysicalPlan, session: Session, level: StorageLevel): Promise<CachedRddInfo>;
  unpersist(rddId: number): Promise<void>;
}

function isPersisting(b: unknown): b is PersistingBackend {
  return typeof (b as PersistingBackend).persist === "function" && typeof (b as PersistingBackend).unpersist === "function";
}

interface CacheEntry {
  rddId: number;
  /** The cached DataFrame's plan; null for an RDD's lineage, which is planned by `planLineage`. */
  plan: LogicalPlan | null;
  key: string;
  level: StorageLevel;
  /** The lineage, planned once so every backend computes the same partitions. */
  physical?: PhysicalPlan;
  /** An RDD's lineage: its plan (with the cached RDDs it reads as scans) and output columns. */
  lineage?: { plan: () => Promise<PhysicalPlan>; schema: Field[] };
  /** Local backend: the partitions being computed or computed. */
  local?: Promise<Batch[][]>;
  computed?: Batch[][];
  /** Cluster backends that hold (or held) blocks of it, to unpersist on. */
  holders: Set<PersistingBackend>;
  /** How many times partitions were computed here or by a backend (the storage page's "cached once" proof). */
  materializations: number;
}

/**
 * A plan's identity for cache lookups: its JSON with expression ids numbered by first appearance, so a
 * plan whose ids were all renewed (a temp view's scan in SQL gets fresh ids for each use) still finds
 * its cache, as Spark compares canonicalized plans.
 */
function canonicalKey(plan: LogicalPlan): string {
  const ids = new Map<number, number>();
  return JSON.stringify(plan, (key, value: unknown) => {
    if (key !== "id" || typeof value !== "number") return value;
    let n = ids.get(value);
    if (n === undefined) ids.set(value, (n = ids.size));
    return n;
  });
}

export class CacheManager {
  private readonly entries: CacheEntry[] = [];

  constructor(private readonly session: Session) {}

  /** Registers `plan` for caching (idempotent: a plan cached already keeps its level); returns its RDD id. */
  cache(plan: LogicalPlan, level: StorageLevel = "MEMORY_ONLY"): number {
    const key = canonicalKey(plan);
    const found = this.entries.find((e) => e.plan === plan || e.key === key);
    if (found) return found.rddId;
    const entry: CacheEntry = { rddId: newRddId(), plan, key, level, holders: new Set(), materializations: 0 };
    this.entries.push(entry);
    return entry.rddId;
  }

  /** Caches `plan`, computes its partitions now, and returns the scan of them (for `localCheckpoint`). */
  async checkpoint(plan: LogicalPlan, options: RunOptions = {}): Promise<LogicalPlan> {
    const rddId = this.cache(plan);
    const entry = this.entries.find((e) => e.rddId === rddId)!;
    throwIfAborted(options.signal);
    return this.scanOf(entry, await abortable(this.materialize(entry), options.signal));
  }

  isCached(plan: LogicalPlan): boolean {
    return this.find(plan) !== undefined;
  }

  /**
   * Registers an RDD's lineage for caching (Spark's `rdd.persist()`): `plan` plans it when first needed,
   * `schema` is its output. Returns the RDD id that `lineageScan` and `unpersistLineage` take.
   */
  cacheLineage(plan: () => Promise<PhysicalPlan>, schema: Field[], level: StorageLevel = "MEMORY_ONLY"): number {
    const entry: CacheEntry = { rddId: newRddId(), plan: null, key: "", level, lineage: { plan, schema }, holders: new Set(), materializations: 0 };
    this.entries.push(entry);
    return entry.rddId;
  }

  /** A scan of a cached lineage's partitions, computing them first if needed. */
  async lineageScan(rddId: number): Promise<PhysicalPlan> {
    const entry = this.entries.find((e) => e.rddId === rddId);
    if (!entry) throw new IOError("IO_ERROR", `rdd_${rddId} is not cached any more (it was unpersisted); cache it again`, { details: { rddId } });
    return this.session.planPhysical(this.scanOf(entry, await this.materialize(entry)));
  }

  /** Drops a cached lineage's partitions everywhere. */
  async unpersistLineage(rddId: number): Promise<void> {
    const entry = this.entries.find((e) => e.rddId === rddId);
    if (entry) await this.drop(entry);
  }

  /** Drops `plan`'s cached partitions everywhere (no-op when it was not cached). */
  async unpersist(plan: LogicalPlan): Promise<void> {
    const entry = this.find(plan);
    if (entry) await this.drop(entry);
  }

  private async drop(entry: CacheEntry): Promise<void> {
    this.entries.splice(this.entries.indexOf(entry), 1);
    delete entry.local;
    delete entry.computed;
    await Promise.all([...entry.holders].map((b) => b.unpersist(entry.rddId).catch(() => undefined)));
  }

  /** What is cached, for a storage view (numbers from the last computation). */
  storageInfo(): (CachedRddInfo & { materializations: number })[] {
    return this.entries.map((e) => ({
      rddId: e.rddId, numPartitions: e.computed?.length ?? 0, materializations: e.materializations,
      rowCount: (e.computed ?? []).flat().reduce((n, b) => n + b.numRows, 0), sizeBytes: (e.computed ?? []).flat().reduce((n, b) => n + batchByteSize(b), 0),
    }));
  }

  /** `plan` with every cached subtree replaced by a scan of its cached partitions, computing them first if needed. */
  async useCachedData(plan: LogicalPlan): Promise<LogicalPlan> {
    if (this.entries.length === 0) return plan;
    const entry = this.find(plan);
    if (entry) return this.scanOf(entry, await this.materialize(entry), outputSchema(plan));
    const children = planChildren(plan);
    if (children.length === 0) return plan;
    const replaced: LogicalPlan[] = [];
    for (const c of children) replaced.push(await this.useCachedData(c));
    return withChildren(plan, replaced);
  }

  /**
   * `plan` with cached subtrees shown as the scans a run will use, without
   * computing anything (for `explain`): sizes are the computed ones where
   * known here, else estimates.
   */
  withCachedScans(requested: LogicalPlan): LogicalPlan {
    if (this.entries.length === 0) return requested;
    const entry = this.find(requested);
    if (entry?.plan) {
      const plan = entry.plan;
      entry.physical ??= this.session.planPhysical(this.session.optimize(withChildren(plan, planChildren(plan).map((c) => this.withCachedScans(c)))));
      const computed = entry.computed?.flat();
      const estimate = estimateStatistics(plan);
      return this.scanOf(entry, {
        rddId: entry.rddId, numPartitions: numPartitions(entry.physical),
        rowCount: computed ? computed.reduce((n, b) => n + b.numRows, 0) : Math.round(estimate.rowCount),
        sizeBytes: computed ? computed.reduce((n, b) => n + batchByteSize(b), 0) : Math.round(estimate.sizeBytes),
      }, outputSchema(requested));
    }
    const children = planChildren(requested);
    return children.length === 0 ? requested : withChildren(requested, children.map((c) => this.withCachedScans(c)));
  }

  private find(plan: LogicalPlan): CacheEntry | undefined {
    const byRef = this.entries.find((e) => e.plan === plan);
    if (byRef) return byRef;
    if (!this.entries.some((e) => e.plan?.type === plan.type)) return undefined;
    const key = canonicalKey(plan);
    return this.entries.find((e) => e.key === key);
  }

  private async materialize(entry: CacheEntry): Promise<CachedRddInfo> {
    // The lineage may itself read cached data (e.g. a cached aggregate of a cached DataFrame), but never itself.
    entry.physical ??= entry.plan
      ? this.session.planPhysical(this.session.optimize(withChildren(entry.plan, await Promise.all(planChildren(entry.plan).map((c) => this.useCachedData(c))))))
      : await entry.lineage!.plan();
    const physical = entry.physical;
    const backend = this.session.backend;
    if (isPersisting(backend)) {
      entry.holders.add(backend);
      return backend.persist(entry.rddId, physical, this.session, entry.level);
    }
    if (!entry.local) {
      this.session.sources.ensureFormat(CACHED_FORMAT, () => this.localReader());
      entry.materializations++;
      entry.local = backend.run(physical, this.session);
      entry.local.catch(() => { delete entry.local; });
    }
    const partitions = await entry.local;
    entry.computed = partitions;
    const all = partitions.flat();
    return { rddId: entry.rddId, numPartitions: partitions.length, rowCount: all.reduce((n, b) => n + b.numRows, 0), sizeBytes: all.reduce((n, b) => n + batchByteSize(b), 0) };
  }

  /** The scan of `entry`'s partitions, its columns under `schema`'s ids (the plan it stands for may carry fresh ones). */
  private scanOf(entry: CacheEntry, info: CachedRddInfo, schema = entry.plan ? outputSchema(entry.plan) : entry.lineage!.schema): LogicalPlan {
    const source: DataSource = {
      kind: "external", format: CACHED_FORMAT, id: `rdd_${entry.rddId}`, rowCount: info.rowCount, sizeBytes: info.sizeBytes,
      options: { numPartitions: info.numPartitions },
    };
    return { type: "Scan", source, schema, projection: null, filters: [] };
  }

  /** Reads cached partitions kept in this session (the local backend). */
  private localReader(): FormatReader {
    const entries = this.entries;
    return {
      numPartitions: (source: DataSource) => cachedRddPartitions(source as { options?: Record<string, unknown> }),
      read(source: DataSource, _schema: Field[], projection: number[] | null, _filters: Expr[], partition: number): BatchStream {
        const rddId = cachedRddOf(source);
        const entry = entries.find((e) => e.rddId === rddId);
        return (async function* () {
          // Unpersisted while a plan that scans it was still running: an error, never wrong rows.
          if (!entry?.local) throw new IOError("IO_ERROR", `cached rdd_${rddId} was unpersisted while a query read it; run the query again`, { details: { rddId } });
          for (const b of (await entry.local)[partition] ?? []) yield projectBatch(b, projection);
        })();
      },
    };
  }
}
