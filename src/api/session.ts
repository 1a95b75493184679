/**
 * `Session`: the entry point (Spark's SparkSession). It owns the
 * configuration, the catalog of temporary views, the in-memory sources,
 * and the path from a resolved plan to results: optimize, plan physically,
 * run, and check the result against `maxResultSize`.
 *
 * @example
 * const session = new Session();
 * const df = session.createDataFrame([{ k: "a", v: 1 }, { k: "b", v: 2 }]);
 * await df.groupBy("k").agg(sum("v")).show();
 */
import * as arrow from "apache-arrow";
import type { ConfigInput } from "../common/config.ts";
import type { BackendRunOptions, RunOptions } from "../common/cancellation.ts";
import { abortable, throwIfAborted } from "../common/cancellation.ts";
import type { CinderEvent, ScanMetricsSnapshot } from "../common/events.ts";
import { CinderError } from "../common/errors.ts";
import type { SerializedError } from "../common/errors.ts";
import { Config } from "../common/config.ts";
import { AnalysisError, ResultTooLargeError } from "../common/errors.ts";
import type { Expr } from "../plan/expressions.ts";
import { newExprId } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { planToString } from "../plan/logical-plan.ts";
import type { DataType, Field } from "../types/data-types.ts";
import { FLOAT64, INT64, parseTypeName, typeToString } from "../types/data-types.ts";
import { analyze, literalType } from "../plan/analyzer.ts";
import { DEFAULT_RULES, optimize, optimizeWithStats } from "../optimizer/optimizer.ts";
import type { OptimizerRule } from "../optimizer/rule.ts";
import { settleCastFailures } from "../optimizer/settle-cast-failures.ts";
import type { PhysicalPlan } from "../physical/physical-plan.ts";
import { planPhysical } from "../physical/planner.ts";
import { physicalToString } from "../physical/physical-plan.ts";
import type { Batch } from "../exec/column-vector.ts";
import { batchByteSize, concatBatches, sliceBatch } from "../exec/column-vector.ts";
import { vectorFromValues } from "../exec/values.ts";
import { batchesFromArrowTable, dataTypeFromArrow } from "../exec/arrow-convert.ts";
import { SourceRegistry, splitIntoPartitions } from "../io/source-registry.ts";
import { runLocally } from "../executor/local-executor.ts";
import { ListenerBus } from "../scheduler/listener-bus.ts";
import type { ScanMetrics } from "../io/scan-metrics.ts";
import { meterScans, scanAnnotator, scanSnapshots } from "../physical/scan-meter.ts";
import { parseExpression, parseStatement } from "../sql/index.ts";
import { Catalog } from "./catalog.ts";
import { DataFrame } from "./data-frame.ts";
import { DataFrameReader } from "./data-frame-reader.ts";
import type { RDD } from "../rdd/rdd.ts";
import { parallelize } from "../rdd/parallelize.ts";
import type { Broadcast } from "../rdd/broadcast.ts";
import { createBroadcast } from "../rdd/broadcast.ts";
import { CacheManager } from "./cache-manager.ts";

// rdd.toDF() returns this layer's DataFrame (see RDDFrameTypes).
declare module "../rdd/rdd-context.ts" {
  interface RDDFrameTypes { frame: DataFrame }
}

/** Column types for `createDataFrame`: a type name (`"int"`, `"decimal(10,2)"`, `"string"`) or a DataType. */
export type SchemaSpec = Record<string, string | DataType>;

export interface CreateDataFrameOptions {
  schema?: SchemaSpec;
  /** Partitions to split the data into (default 1). */
  numPartitions?: number;
}

/** Runs a physical plan and returns each partition's batches; the local executor or a cluster. */
export interface ExecutionBackend {
  /** True for a cluster: `join.preferSortMerge` = -1 (auto) then plans sort-merge joins. */
  readonly distributed?: boolean;
  run(plan: PhysicalPlan, session: Session, options?: BackendRunOptions): Promise<Batch[][]>;
}

/** What the last query of a session cost (also posted as a QueryEnd event). */
export interface QueryMetrics {
  rows: number;
  durationMs: number;
  /** One entry per file scan: bytes fetched, requests, row groups read and skipped. */
  scans: ScanMetricsSnapshot[];
}

let nextQueryId = 1;

export class Session {
  readonly conf: Config;
  /** What the last query run by this session cost; null before the first. */
  lastQueryMetrics: QueryMetrics | null = null;
  /** One controller per running query, for cancelAllJobs. */
  private readonly running = new Set<AbortController>();
  private readonly queryEvents = new ListenerBus();
  readonly catalog = new Catalog();
  readonly sources = new SourceRegistry();
  /** Cached DataFrames (`df.cache()`) and where their partitions are kept. */
  readonly cacheManager: CacheManager = new CacheManager(this);
  /** Where jobs run; the in-process local executor unless a cluster is attached. */
  backend: ExecutionBackend = { run: async (plan, session, options) => (await runLocally(plan, session.sources, session.conf.toJSON(), options?.signal)).partitions };

  constructor(config: ConfigInput = {}) {
    this.conf = new Config(config);
  }

  /**
   * Calls `listener` with a QueryEnd event after each query this session
   * runs (its scans' bytes fetched, requests, row groups read and skipped).
   * Returns a function that removes the listener.
   *
   * @example session.addListener((e) => { if (e.type === "QueryEnd") console.log(e.scans); });
   */
  addListener(listener: (event: CinderEvent) => void): () => void {
    return this.queryEvents.on(listener);
  }

  /** Reads files: `session.read.parquet(path)`. */
  get read(): DataFrameReader { return new DataFrameReader(this); }

  /**
   * A DataFrame from row objects or an Apache Arrow table.
   *
   * @example session.createDataFrame([{ id: 1, name: "a" }], { schema: { id: "int", name: "string" } })
   */
  createDataFrame(data: readonly Record<string, unknown>[] | arrow.Table, options: CreateDataFrameOptions = {}): DataFrame {
    const maxRows = this.conf.get("batch.size");
    let fields: Field[];
    let batches: Batch[];
    if (data instanceof arrow.Table) {
      fields = data.schema.fields.map((f) => ({ name: f.name, type: dataTypeFromArrow(f.type, f.name), nullable: f.nullable, id: newExprId() }));
      batches = batchesFromArrowTable(data, fields);
    } else {
      fields = inferFields(data, options.schema);
      const columns = fields.map((f) => vectorFromValues(f.type, data.map((r) => r[f.name]), f.name));
      batches = [{ columns, numRows: data.length }];
    }
    return this.fromBatches(fields, batches, options.numPartitions ?? 1, maxRows);
  }

  /** @internal A DataFrame over batches kept in memory. */
  fromBatches(fields: Field[], batches: Batch[], numPartitions = 1, maxBatchRows = this.conf.get("batch.size")): DataFrame {
    return this.fromPartitions(fields, splitIntoPartitions(batches, Math.max(1, numPartitions), maxBatchRows));
  }

  /** A single `id` column (bigint) from `start` to `end` (exclusive). @example session.range(1000) */
  range(start: number, end?: number, step = 1, numPartitions = 1): DataFrame {
    if (end === undefined) { end = start; start = 0; }
    if (step === 0) throw new AnalysisError("WRONG_ARGUMENT", "range step must not be 0");
    const schema: Field[] = [{ name: "id", type: INT64, nullable: false, id: newExprId() }];
    return this.dataFrameOf({ type: "Scan", source: { kind: "range", start, end, step, numPartitions }, schema, projection: null, filters: [] });
  }

  /**
   * An RDD over `data`, split into `numSlices` partitions (default: the
   * cluster's task slots, else 2). Its functions travel as source text.
   *
   * @example await session.parallelize([1, 2, 3], 2).map((x) => x * 2).collect()
   */
  parallelize<T>(data: readonly T[], numSlices?: number): RDD<T> { return parallelize(this, data, numSlices); }

  /** A read-only value RDD functions read on every executor. @example const bc = session.broadcast(lookup); rdd.map((k) => bc.value[k], { bc }) */
  broadcast<T>(value: T): Broadcast<T> { return createBroadcast(this.sources, value); }

  /** The temporary view `name` as a DataFrame. */
  table(name: string): DataFrame { return this.catalog.lookup(name); }

  /** Runs SQL. @example await session.sql("SELECT k, sum(v) FROM t GROUP BY k").show() */
  sql(text: string): DataFrame {
    const statement = parseStatement(text, (name) => this.catalog.lookup(name).plan);
    switch (statement.kind) {
      case "query": return this.dataFrameOf(analyze(statement.plan), statement.plan);
      case "createView": {
        if (!statement.replace && this.catalog.has(statement.name)) {
          throw new AnalysisError("INVALID_PLAN", `view '${statement.name}' already exists; use CREATE OR REPLACE TEMP VIEW`, { details: { view: statement.name } });
        }
        this.catalog.registerView(statement.name, this.dataFrameOf(analyze(statement.plan), statement.plan));
        return this.createDataFrame([], { schema: {} });
      }
      case "showTables":
        return this.createDataFrame(this.catalog.listTables().map((tableName) => ({ tableName, isTemporary: true })), { schema: { tableName: "string", isTemporary: "boolean" } });
      case "describe":
        return this.createDataFrame(this.table(statement.name).schema.map((f) => ({ col_name: f.name, data_type: typeToString(f.type), nullable: f.nullable })),
          { schema: { col_name: "string", data_type: "string", nullable: "boolean" } });
      case "explain": {
        const text = this.dataFrameOf(analyze(statement.plan), statement.plan).explain(true);
        return this.createDataFrame([{ plan: text }], { schema: { plan: "string" } });
      }
    }
  }

  /** @internal Parses a SQL expression (for `selectExpr` and string filters). */
  parseExpression(text: string): Expr {
    return parseExpression(text);
  }

  /** @internal */
  dataFrameOf(plan: LogicalPlan, parsed: LogicalPlan = plan): DataFrame {
    return new DataFrame(this, parsed, plan);
  }

  /** @internal */
  optimize(plan: LogicalPlan): LogicalPlan { return optimize(plan, this.optimizerRules()); }

  /** @internal The optimized plan and the names of the rules that changed it, in order (for `explain`). */
  optimizeExplained(plan: LogicalPlan): { plan: LogicalPlan; applied: string[] } { return optimizeWithStats(plan, this.optimizerRules()); }

  /** The default rules, after settling each CAST's failure rule from `ansi.enabled`. */
  private optimizerRules(): OptimizerRule[] {
    return [settleCastFailures(this.conf.get("ansi.enabled") ? "fail" : "null"), ...DEFAULT_RULES];
  }

  /** @internal Plans with the session's config, settling `join.preferSortMerge` and `scan.maxPartitions` = -1 (auto) by the backend. */
  planPhysical(plan: LogicalPlan): PhysicalPlan {
    const conf = this.conf.toJSON();
    if (conf["join.preferSortMerge"] === -1) conf["join.preferSortMerge"] = this.backend.distributed ? 1 : 0;
    if (conf["scan.maxPartitions"] === -1) conf["scan.maxPartitions"] = !this.backend.distributed && conf["shuffle.partitions"] === 1 ? 1 : 0;
    return planPhysical(plan, conf);
  }

  /**
   * Cancels every query this session is running (Spark's cancelAllJobs): each fails with JOB_ABORTED, starts
   * no more tasks, and its running tasks stop at their next batch.
   * @example stopButton.onclick = () => session.cancelAllJobs("stopped from the toolbar");
   */
  cancelAllJobs(reason = "cancelled by the user"): void {
    for (const c of this.running) c.abort(reason);
  }

  /** @internal Runs a resolved plan; its result's batches in order. */
  async execute(plan: LogicalPlan, options: RunOptions = {}): Promise<Batch[]> {
    return (await this.executeMetered(plan, options)).batches;
  }

  /** @internal Runs a resolved plan and keeps its partitions apart (for `checkpoint`); no maxResultSize, since nothing is returned to the caller. */
  async executePartitions(plan: LogicalPlan, options: RunOptions = {}): Promise<Batch[][]> {
    return (await this.runMetered(plan, options)).partitions;
  }

  /** @internal A DataFrame over partitions kept in this session's memory, under `fields` (their attribute ids kept). */
  fromPartitions(fields: Field[], partitions: Batch[][]): DataFrame {
    const tableId = this.sources.registerTable(partitions);
    const all = partitions.flat();
    const rowCount = all.reduce((n, b) => n + b.numRows, 0), sizeBytes = all.reduce((n, b) => n + batchByteSize(b), 0);
    return this.dataFrameOf({ type: "Scan", source: { kind: "memory", tableId, numPartitions: partitions.length, rowCount, sizeBytes }, schema: fields, projection: null, filters: [] });
  }

  /** @internal `explain("analyze")`: runs the plan and prints the physical plan with each scan's planned and actual cost. */
  async explainAnalyze(plan: LogicalPlan): Promise<string> {
    const stages: Extract<CinderEvent, { type: "StageSubmitted" }>[] = [];
    const { batches, physical, scans, durationMs } = await this.executeMetered(plan, { onStageSubmitted: (e) => stages.push(e) });
    const rows = batches.reduce((n, b) => n + b.numRows, 0);
    const text = `== Physical Plan (analyzed: ${rows} rows in ${durationMs} ms) ==\n${physicalToString(physical, 0, scanAnnotator(this.sources, scans))}`;
    return stages.length ? `${text}\n${adaptiveSection(stages)}` : text;
  }

  /** @internal `explain()`: the physical plan, after the parsed, analyzed and optimized plans when `extended`. */
  explainText(parsed: LogicalPlan, analyzed: LogicalPlan, extended: boolean): string {
    const { plan: optimized, applied } = this.optimizeExplained(this.cacheManager.withCachedScans(analyzed));
    const physical = this.physicalPlanText(this.planPhysical(optimized));
    if (!extended) return `== Physical Plan ==\n${physical}`;
    return [
      "== Parsed Logical Plan ==", planToString(parsed),
      "== Analyzed Logical Plan ==", planToString(analyzed),
      // Which rules changed the plan, once per pass that they did (DataFusion's EXPLAIN VERBOSE shows the same).
      "== Optimizer Rules Applied ==", applied.length ? applied.join(" -> ") : "(none changed the plan)",
      "== Optimized Logical Plan ==", planToString(optimized),
      "== Physical Plan ==", physical,
    ].join("\n");
  }

  /** @internal The physical plan as `explain` prints it, each file scan with what its footers say it will fetch. */
  physicalPlanText(physical: PhysicalPlan): string {
    return physicalToString(physical, 0, scanAnnotator(this.sources));
  }

  private async executeMetered(plan: LogicalPlan, options: BackendRunOptions = {}): Promise<{ batches: Batch[]; physical: PhysicalPlan; scans: Map<PhysicalPlan, ScanMetrics>; durationMs: number }> {
    const { partitions, ...run } = await this.runMetered(plan, options);
    return { batches: this.checkResult(partitions, run.physical), ...run };
  }

  private async runMetered(plan: LogicalPlan, options: BackendRunOptions): Promise<{ partitions: Batch[][]; physical: PhysicalPlan; scans: Map<PhysicalPlan, ScanMetrics>; durationMs: number }> {
    const physical = this.planPhysical(this.optimize(await this.cacheManager.useCachedData(plan)));
    const meter = meterScans(physical);
    const queryId = nextQueryId++, started = Date.now();
    let partitions: Batch[][];
    // Its own controller, so cancelAllJobs reaches it whether or not the caller passed a signal.
    const cancel = new AbortController();
    const outer = options.signal, follow = () => cancel.abort(outer!.reason);
    if (outer?.aborted) follow(); else outer?.addEventListener("abort", follow, { once: true });
    this.running.add(cancel);
    try {
      throwIfAborted(cancel.signal);
      partitions = await abortable(this.backend.run(physical, this, { ...options, signal: cancel.signal }), cancel.signal);
    } catch (e) {
      const scans = scanSnapshots(this.sources, meter.finish());
      const error: SerializedError = CinderError.is(e) ? e.toJSON() : { name: "Error", code: "INTERNAL", message: e instanceof Error ? e.message : String(e) };
      this.queryEvents.post({ type: "QueryEnd", queryId, result: "failed", rows: 0, durationMs: Date.now() - started, scans, error, time: Date.now() });
      throw e;
    } finally {
      this.running.delete(cancel);
      outer?.removeEventListener("abort", follow);
    }
    const scans = meter.finish();
    const durationMs = Date.now() - started;
    const snapshots = scanSnapshots(this.sources, scans);
    const rows = partitions.reduce((n, p) => n + p.reduce((m, b) => m + b.numRows, 0), 0);
    this.lastQueryMetrics = { rows, durationMs, scans: snapshots };
    this.queryEvents.post({ type: "QueryEnd", queryId, result: "succeeded", rows, durationMs, scans: snapshots, time: Date.now() });
    return { partitions, physical, scans, durationMs };
  }

  /** The result's batches, after checking them against maxResultSize. */
  private checkResult(partitions: Batch[][], physical: PhysicalPlan): Batch[] {
    const batches = partitions.flat();
    const limit = this.conf.get("maxResultSize");
    let total = 0;
    for (const b of batches) {
      total += batchByteSize(b);
      if (total > limit) {
        throw new ResultTooLargeError("RESULT_TOO_LARGE",
          `the result is larger than maxResultSize (${limit} bytes); add a limit or an aggregate, or raise maxResultSize`,
          { details: { maxResultSize: limit, bytesSoFar: total } });
      }
    }
    const width = physical.schema.length;
    return batches.length > 1 ? rechunk(batches, width, this.conf.get("batch.size")) : batches;
  }
}

/** Merges many small result batches into fewer (a shuffle may leave many tiny ones). */
function rechunk(batches: Batch[], width: number, target: number): Batch[] {
  const out: Batch[] = [];
  let group: Batch[] = [], rows = 0;
  for (const b of batches) {
    if (rows + b.numRows > target && group.length) { out.push(concatBatches(group, width)); group = []; rows = 0; }
    group.push(b.numRows > target ? sliceBatch(b, 0, b.numRows) : b);
    rows += b.numRows;
  }
  if (group.length) out.push(concatBatches(group, width));
  return out;
}

function inferFields(rows: readonly Record<string, unknown>[], spec: SchemaSpec | undefined): Field[] {
  const names = spec ? Object.keys(spec) : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return names.map((name) => {
    const given = spec?.[name];
    const type = given !== undefined ? (typeof given === "string" ? parseTypeName(given) : given) : inferType(rows, name);
    return { name, type, nullable: true, id: newExprId() };
  });
}

function inferType(rows: readonly Record<string, unknown>[], name: string): DataType {
  let type: DataType | null = null;
  for (const row of rows) {
    const v = row[name];
    if (v === null || v === undefined) continue;
    let t = literalType(v);
    if (t.kind === "int32") t = INT64; // like PySpark: JS integers are bigint
    if (type === null) type = t;
    else if (type.kind !== t.kind) {
      if ((type.kind === "int64" && t.kind === "float64") || (type.kind === "float64" && t.kind === "int64")) type = FLOAT64;
      else {
        throw new AnalysisError("DATATYPE_MISMATCH",
          `column '${name}' mixes ${typeToString(type)} and ${typeToString(t)} values (${JSON.stringify(v)}); make them agree or pass { schema: { ${name}: "..." } }`,
          { details: { column: name } });
      }
    }
  }
  return type ?? { kind: "null" };
}

/**
 * `explain("analyze")` on a cluster: each stage as it ran, and what adaptive execution changed in it once
 * its parents' map outputs were measured (Spark's final adaptive plan).
 */
function adaptiveSection(stages: readonly Extract<CinderEvent, { type: "StageSubmitted" }>[]): string {
  const lines = stages.map((s) => {
    const changes: string[] = [];
    if (s.coalescedFrom !== undefined) changes.push(`${s.coalescedFrom} shuffle partitions coalesced into ${s.numTasks} tasks`);
    if (s.skewedPartitions?.length) changes.push(`skewed partitions ${s.skewedPartitions.map((p) => `${p.partition} (split in ${p.splits})`).join(", ")}`);
    for (const d of s.demotedJoins ?? []) changes.push(`${d.from} demoted to a hash join building the ${d.buildSide} side (${d.buildBytes} bytes measured)`);
    return `Stage ${s.stageId}${s.attempt > 0 ? ` attempt ${s.attempt}` : ""} (${s.kind}, ${s.numTasks} tasks): ${s.operators[0] ?? ""}${changes.length ? `\n  adaptive: ${changes.join("; ")}` : ""}`;
  });
  return `== Stages (as run) ==\n${lines.join("\n")}`;
}
