/**
 * `DataFrame`: an immutable, lazily evaluated query. Each method returns a
 * new DataFrame over a plan one node taller; the node is analyzed at once
 * (so a bad column name fails at the line that used it), and nothing runs
 * until an action (`collect`, `toArrow`, `show`, `count`).
 */
import { FutureAction } from "./future-action.ts";
import { checkNumPartitions, splitPartitionArgs } from "./partition-args.ts";
import type { RunOptions } from "../common/cancellation.ts";
import type { StorageLevel } from "../executor/task.ts";
import type * as arrow from "apache-arrow";
import type { Expr, SortOrder } from "../plan/expressions.ts";
import { alias, newExprId, sortOrderToString, transformUp } from "../plan/expressions.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { JoinType } from "../types/operations.ts";
import { columnRef, outputSchema } from "../plan/logical-plan.ts";
import { analyzeNode, resolveColumn } from "../plan/analyzer.ts";
import type { Field } from "../types/data-types.ts";
import { typeToString } from "../types/data-types.ts";
import { AnalysisError } from "../common/errors.ts";
import type { Batch } from "../exec/column-vector.ts";
import { columnValues } from "../exec/values.ts";
import type { CellValue } from "../exec/values.ts";
import { arrowTableOf } from "../exec/arrow-convert.ts";
import { numPartitions as numPartitionsOf } from "../physical/physical-plan.ts";
import { Column, columnOf, toExpr } from "./column.ts";
import type { ColumnLike } from "./column.ts";
import { orderOf } from "./window.ts";
import { GroupedData } from "./grouped-data.ts";
import type { Session } from "./session.ts";
import { formatShow } from "./show.ts";
import { DataFrameWriter } from "./data-frame-writer.ts";

type ColumnOrName = Column | string;

/** A row as `collect()` returns it: column name to value. */
export type Row = Record<string, CellValue>;

const JOIN_TYPES: Record<string, JoinType> = {
  inner: "inner", cross: "cross",
  left: "left", leftouter: "left", left_outer: "left",
  right: "right", rightouter: "right", right_outer: "right",
  full: "full", outer: "full", fullouter: "full", full_outer: "full",
  left_semi: "left_semi", leftsemi: "left_semi", semi: "left_semi",
  left_anti: "left_anti", leftanti: "left_anti", anti: "left_anti",
};

/**
 * The DataFrame whose `col()` made a column reference. In a self-join both
 * sides carry the same attribute ids; this tells which side a reference in
 * the join condition meant (Spark tags columns with a dataset id for this).
 */
const COLUMN_ORIGIN = new WeakMap<Expr, DataFrame>();

export class DataFrame {
  /** @internal Build DataFrames through a Session. */
  constructor(
    readonly session: Session,
    /** The plan as the user wrote it (for `explain`). */
    readonly parsedPlan: LogicalPlan,
    /** The resolved plan. */
    readonly plan: LogicalPlan,
  ) {}

  /** @internal Adds one node: `make` gets the parsed and the analyzed child. */
  private derive(make: (child: LogicalPlan) => LogicalPlan): DataFrame {
    return new DataFrame(this.session, make(this.parsedPlan), analyzeNode(make(this.plan)));
  }

  /** Output columns with their types. */
  get schema(): Field[] { return outputSchema(this.plan); }
  /** Saves this DataFrame: `df.write.mode("overwrite").partitionBy("k").parquet(path)`. */
  get write(): DataFrameWriter { return new DataFrameWriter(this); }
  get columns(): string[] { return this.schema.map((f) => f.name); }
  get dtypes(): [string, string][] { return this.schema.map((f) => [f.name, typeToString(f.type)]); }

  /** This DataFrame's column `name`, bound to it (unambiguous in self-joins). @example a.join(b, a.col("id").eq(b.col("id"))) */
  col(name: string): Column {
    const { field } = resolveColumn(name, undefined, { fields: this.schema, outer: null });
    const ref = columnRef(field);
    COLUMN_ORIGIN.set(ref, this);
    return new Column(ref);
  }

  /** @example df.select("a", col("b").plus(1).alias("b1")) */
  select(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    const exprs = cols.flat().map((c) => columnOf(c).expr);
    return this.derive((input) => ({ type: "Project", input, exprs }));
  }

  /** SQL expressions. @example df.selectExpr("a + 1 AS b", "upper(name)") */
  selectExpr(...exprs: string[]): DataFrame {
    return this.select(...exprs.map((e) => new Column(this.session.parseExpression(e))));
  }

  /** Keeps rows where `condition` is TRUE. @example df.filter(col("x").gt(1)), df.filter("x > 1") */
  filter(condition: Column | string): DataFrame {
    const expr = typeof condition === "string" ? this.session.parseExpression(condition) : condition.expr;
    return this.derive((input) => ({ type: "Filter", input, condition: expr }));
  }
  where(condition: Column | string): DataFrame { return this.filter(condition); }

  /** Adds or replaces a column. @example df.withColumn("total", col("price").multiply(col("qty"))) */
  withColumn(name: string, value: Column): DataFrame {
    const lower = name.toLowerCase();
    const existing = this.schema.findIndex((f) => f.name.toLowerCase() === lower);
    const named = alias(value.expr, name);
    const exprs: Expr[] = this.schema.map((f, i) => (i === existing ? named : columnRef(f)));
    if (existing < 0) exprs.push(named);
    return this.derive((input) => ({ type: "Project", input, exprs }));
  }

  withColumnRenamed(existing: string, newName: string): DataFrame {
    const lower = existing.toLowerCase();
    if (!this.schema.some((f) => f.name.toLowerCase() === lower)) return this; // Spark: a no-op
    const exprs = this.schema.map((f) => (f.name.toLowerCase() === lower ? alias(columnRef(f), newName) : columnRef(f)));
    return this.derive((input) => ({ type: "Project", input, exprs }));
  }

  /** Removes columns (unknown names are ignored, as in Spark). */
  drop(...cols: ColumnOrName[]): DataFrame {
    const ids = new Set<number>();
    for (const c of cols) {
      if (typeof c === "string") this.schema.filter((f) => f.name.toLowerCase() === c.toLowerCase()).forEach((f) => ids.add(f.id));
      else if (c.expr.type === "column" && c.expr.id !== undefined) ids.add(c.expr.id);
      else if (c.expr.type === "column") this.schema.filter((f) => f.name.toLowerCase() === (c.expr as { name: string }).name.toLowerCase()).forEach((f) => ids.add(f.id));
    }
    const exprs = this.schema.filter((f) => !ids.has(f.id)).map(columnRef);
    return this.derive((input) => ({ type: "Project", input, exprs }));
  }

  /** @example df.groupBy("dept").agg(avg("salary"), count("*")) */
  groupBy(...cols: (ColumnOrName | ColumnOrName[])[]): GroupedData {
    return new GroupedData(this, cols.flat().map((c) => columnOf(c).expr));
  }
  groupby(...cols: ColumnOrName[]): GroupedData { return this.groupBy(...cols); }

  /** Aggregates over the whole DataFrame. @example df.agg(max("x")) */
  agg(...aggs: Column[]): DataFrame { return this.groupBy().agg(...aggs); }

  /** @internal */
  aggregate(groupBy: Expr[], aggregates: Expr[]): DataFrame {
    return this.derive((input) => ({ type: "Aggregate", input, groupBy, aggregates }));
  }

  /**
   * Joins with `other`: `on` is a column name or names present on both sides
   * (kept once, like SQL USING) or a join condition.
   *
   * @example orders.join(customers, "custkey", "left")
   * @example a.join(b, a.col("id").eq(b.col("aid")), "left_anti")
   */
  join(other: DataFrame, on?: string | string[] | Column, how: string = "inner"): DataFrame {
    const joinType = JOIN_TYPES[how.toLowerCase()];
    if (!joinType) {
      throw new AnalysisError("WRONG_ARGUMENT", `unknown join type '${how}'; use one of ${Object.keys(JOIN_TYPES).join(", ")}`, { details: { how } });
    }
    const right = this.distinctIdsFrom(other);
    if (on === undefined) {
      return this.joinPlans(right, joinType === "inner" ? "cross" : joinType, null);
    }
    if (Column.is(on)) return this.joinPlans(right, joinType, right === other ? on.expr : retargetColumns(on.expr, other, right));
    const names = Array.isArray(on) ? on : [on];
    const leftFields = names.map((n) => resolveColumn(n, undefined, { fields: this.schema, outer: null }).field);
    const rightFields = names.map((n) => resolveColumn(n, undefined, { fields: right.schema, outer: null }).field);
    const condition = leftFields.map((l, i): Expr => ({ type: "binary", op: "=", left: columnRef(l), right: columnRef(rightFields[i]!) }))
      .reduce((a, b) => ({ type: "binary", op: "and", left: a, right: b }));
    const joined = this.joinPlans(right, joinType, condition);
    if (joinType === "left_semi" || joinType === "left_anti") return joined;
    // USING semantics: each key once (from the side that is never NULL-extended), then the other columns.
    const keyIds = new Set([...leftFields, ...rightFields].map((f) => f.id));
    const keys = leftFields.map((l, i): Expr => {
      const r = rightFields[i]!;
      if (joinType === "right") return columnRef(r);
      if (joinType === "full") return alias({ type: "call", name: "coalesce", args: [columnRef(l), columnRef(r)] }, l.name);
      return columnRef(l);
    });
    const rest = [...this.schema, ...right.schema].filter((f) => !keyIds.has(f.id)).map(columnRef);
    return joined.derive((input) => ({ type: "Project", input, exprs: [...keys, ...rest] }));
  }

  crossJoin(other: DataFrame): DataFrame { return this.join(other, undefined, "cross"); }

  private joinPlans(right: DataFrame, joinType: JoinType, condition: Expr | null): DataFrame {
    return new DataFrame(
      this.session,
      { type: "Join", left: this.parsedPlan, right: right.parsedPlan, joinType, condition },
      analyzeNode({ type: "Join", left: this.plan, right: right.plan, joinType, condition }),
    );
  }

  /** A self-join would see the same attribute ids twice; give the right side fresh ones (Spark's dedupRight). */
  private distinctIdsFrom(other: DataFrame): DataFrame {
    const mine = new Set(this.schema.map((f) => f.id));
    if (!other.schema.some((f) => mine.has(f.id))) return other;
    const exprs = other.schema.map((f): Expr => ({ type: "alias", expr: columnRef(f), name: f.name, id: newExprId() }));
    return other.derive((input) => ({ type: "Project", input, exprs }));
  }

  /** @example df.orderBy(col("x").desc(), "y") */
  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    const orders: SortOrder[] = cols.flat().map(orderOf);
    return this.derive((input) => ({ type: "Sort", input, orders }));
  }
  sort(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame { return this.orderBy(...cols); }

  /**
   * Sorts each partition on its own, without a shuffle (Spark's sortWithinPartitions): rows come out
   * partition by partition, each in order, as writers of sorted files want after a repartition.
   *
   * @example df.repartition(8, "day").sortWithinPartitions("day", col("ts").desc())
   */
  sortWithinPartitions(...cols: (ColumnOrName | ColumnOrName[])[]): DataFrame {
    const orders: SortOrder[] = cols.flat().map(orderOf);
    return this.derive((input) => ({ type: "Sort", input, orders, global: false }));
  }

  limit(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) throw new AnalysisError("WRONG_ARGUMENT", `limit must be a non-negative integer, got ${n}`);
    return this.derive((input) => ({ type: "Limit", input, limit: n, offset: 0 }));
  }

  /** Skips the first `n` rows. */
  offset(n: number): DataFrame {
    if (!Number.isInteger(n) || n < 0) throw new AnalysisError("WRONG_ARGUMENT", `offset must be a non-negative integer, got ${n}`);
    return this.derive((input) => ({ type: "Limit", input, limit: Number.MAX_SAFE_INTEGER, offset: n }));
  }

  distinct(): DataFrame { return this.derive((input) => ({ type: "Distinct", input })); }

  /** Keeps one row per distinct value of `subset` (all columns when omitted). */
  dropDuplicates(subset?: string[]): DataFrame {
    if (!subset || subset.length === 0) return this.distinct();
    const keys = subset.map((n) => resolveColumn(n, undefined, { fields: this.schema, outer: null }).field);
    const keyIds = new Set(keys.map((f) => f.id));
    const aggregates = this.schema.map((f): Expr => (keyIds.has(f.id) ? columnRef(f) : alias({ type: "aggregate", fn: "first", args: [columnRef(f)], distinct: false }, f.name)));
    return this.aggregate(keys.map(columnRef), aggregates);
  }
  drop_duplicates(subset?: string[]): DataFrame { return this.dropDuplicates(subset); }

  /** Rows of both, by column position (SQL UNION ALL). */
  union(other: DataFrame): DataFrame {
    return new DataFrame(this.session,
      { type: "Union", inputs: [this.parsedPlan, other.parsedPlan] },
      analyzeNode({ type: "Union", inputs: [this.plan, other.plan] }));
  }
  unionAll(other: DataFrame): DataFrame { return this.union(other); }

  /** Rows of both, matching columns by name. */
  unionByName(other: DataFrame, allowMissingColumns = false): DataFrame {
    const reordered = this.schema.map((f) => {
      const match = other.schema.find((g) => g.name.toLowerCase() === f.name.toLowerCase());
      if (match) return columnRef(match);
      if (allowMissingColumns) return alias({ type: "literal", value: null, dataType: f.type }, f.name);
      throw new AnalysisError("UNRESOLVED_COLUMN", `unionByName: column '${f.name}' is missing on the right side (columns: ${other.columns.join(", ")}); pass allowMissingColumns = true to fill it with NULL`, { details: { column: f.name } });
    });
    const extra = other.schema.filter((g) => !this.schema.some((f) => f.name.toLowerCase() === g.name.toLowerCase()));
    if (extra.length && !allowMissingColumns) {
      throw new AnalysisError("UNRESOLVED_COLUMN", `unionByName: column '${extra[0]!.name}' is missing on the left side; pass allowMissingColumns = true`, { details: { column: extra[0]!.name } });
    }
    const left = extra.length ? this.select(...this.columns.map(columnOf), ...extra.map((g) => new Column(alias({ type: "literal", value: null, dataType: g.type }, g.name)))) : this;
    const right = other.select(...[...reordered, ...extra.map(columnRef)].map((e) => new Column(e)));
    return left.union(right);
  }

  /**
   * Shuffles this DataFrame into `numPartitions` partitions: round robin with
   * no columns, else by a hash of the columns (all rows of a key in one
   * partition; `shuffle.partitions` of them when no number is given).
   *
   * @example df.repartition(8)
   * @example df.repartition(8, "customer_id")
   * @example df.repartition(col("k"))
   */
  repartition(numPartitions: number, ...cols: ColumnOrName[]): DataFrame;
  repartition(...cols: ColumnOrName[]): DataFrame;
  repartition(...args: (number | ColumnOrName)[]): DataFrame {
    const [n, cols] = splitPartitionArgs("repartition", args);
    const keys = cols.map((c) => {
      const column = columnOf(c);
      if (column.sortOrder) {
        throw new AnalysisError("WRONG_ARGUMENT", `repartition: ${sortOrderToString(column.sortOrder)} is a sort order; hash partitioning takes plain columns, use repartitionByRange(...) to partition by ranges of sorted keys`);
      }
      return column.expr;
    });
    if (n === null && keys.length === 0) {
      throw new AnalysisError("WRONG_ARGUMENT", "repartition: pass a number of partitions, columns, or both, e.g. df.repartition(8) or df.repartition(\"k\")");
    }
    const mode = keys.length === 0 ? "roundRobin" : "hash";
    return this.derive((input) => ({ type: "Repartition", input, mode, numPartitions: n, keys, orders: [] }));
  }

  /**
   * Shuffles this DataFrame into `numPartitions` partitions of sorted key
   * ranges that do not overlap (the bounds come from a sample of the keys, as
   * a global sort's do); ascending unless a column says `.desc()`. Rows within
   * a partition are not sorted.
   *
   * @example df.repartitionByRange(4, "ts")
   * @example df.repartitionByRange(col("price").desc())
   */
  repartitionByRange(numPartitions: number, ...cols: ColumnOrName[]): DataFrame;
  repartitionByRange(...cols: ColumnOrName[]): DataFrame;
  repartitionByRange(...args: (number | ColumnOrName)[]): DataFrame {
    const [n, cols] = splitPartitionArgs("repartitionByRange", args);
    if (cols.length === 0) {
      throw new AnalysisError("WRONG_ARGUMENT", "repartitionByRange: pass at least one column to partition by, e.g. df.repartitionByRange(4, \"ts\")");
    }
    const orders = cols.map(orderOf);
    return this.derive((input) => ({ type: "Repartition", input, mode: "range", numPartitions: n, keys: [], orders }));
  }

  /**
   * At most `numPartitions` partitions, without a shuffle (Spark's coalesce):
   * each new partition reads a run of neighbouring input partitions in one
   * task. Asking for more partitions than there are keeps them as they are.
   *
   * @example df.coalesce(1).write.parquet("out")
   */
  coalesce(numPartitions: number): DataFrame {
    const n = checkNumPartitions("coalesce", numPartitions);
    return this.derive((input) => ({ type: "Repartition", input, mode: "coalesce", numPartitions: n, keys: [], orders: [] }));
  }

  /** How many partitions this DataFrame's result has (Spark's `df.rdd.getNumPartitions()`); plans the query, runs nothing. @example df.repartition(4).numPartitions // 4 */
  get numPartitions(): number {
    const optimized = this.session.optimize(this.session.cacheManager.withCachedScans(this.plan));
    return numPartitionsOf(this.session.planPhysical(optimized));
  }

  /** Tags this DataFrame for the planner (`"broadcast"` forces a broadcast join). */
  hint(name: "broadcast"): DataFrame {
    return this.derive((input) => ({ type: "Hint", input, name }));
  }

  /** Names this DataFrame for qualified references (`alias.col`). */
  alias(name: string): DataFrame {
    return this.derive((input) => ({ type: "SubqueryAlias", input, alias: name }));
  }

  /**
   * Keeps this DataFrame's partitions once an action computed them (in the
   * executors' memory on a cluster, in the session locally); later queries
   * over it read them instead of recomputing. Returns this DataFrame.
   *
   * @example const hot = df.filter(col("v").gt(0)).cache(); await hot.count(); await hot.groupBy("k").count().show();
   */
  cache(): DataFrame { return this.persist(); }

  /** `cache()` with Spark's storage level: MEMORY_AND_DISK partitions evicted from executors' memory go to disk, not lost. @example df.persist("MEMORY_AND_DISK") */
  persist(storageLevel: StorageLevel = "MEMORY_ONLY"): DataFrame {
    this.session.cacheManager.cache(this.plan, storageLevel);
    return this;
  }

  /** Drops the cached partitions; resolves once executors freed them. @example await hot.unpersist(); */
  async unpersist(): Promise<DataFrame> {
    await this.session.cacheManager.unpersist(this.plan);
    return this;
  }

  /**
   * Computes this DataFrame now and returns one that reads the result, with the lineage cut (Spark's eager
   * checkpoint): later plans start from the saved partitions, so an iterative loop's plans, and the time to
   * plan them, stay as small as in its first step. The partitions are kept in the driver (this page or
   * process), which outlives any executor; on a cluster they are shipped to executors as a table is.
   * @example let ranks = start; for (let i = 0; i < 100; i++) ranks = await step(ranks).checkpoint();
   */
  async checkpoint(options: RunOptions = {}): Promise<DataFrame> {
    const partitions = await this.session.executePartitions(this.plan, options);
    return this.session.fromPartitions(this.schema, partitions);
  }

  /**
   * Like `checkpoint`, but the partitions stay where they were computed, as with `cache()`: in the
   * executors' storage on a cluster, in the session otherwise. The returned DataFrame's plan is a scan of
   * them. Unlike Spark's, a partition lost with its executor is recomputed from the lineage kept aside.
   * @example const step = await next(prev).localCheckpoint();
   */
  async localCheckpoint(options: RunOptions = {}): Promise<DataFrame> {
    return this.session.dataFrameOf(await this.session.cacheManager.checkpoint(this.plan, options));
  }

  /** True after `cache()`/`persist()` until `unpersist()`. */
  get isCached(): boolean { return this.session.cacheManager.isCached(this.plan); }

  /** Registers this DataFrame as a temporary view for `session.sql`. */
  createOrReplaceTempView(name: string): void {
    this.session.catalog.registerView(name, this);
  }

  // ---- actions ----

  /** Runs the query and returns its batches. */
  async collectBatches(options: RunOptions = {}): Promise<Batch[]> {
    return this.session.execute(this.plan, options);
  }

  /**
   * Runs the query; rows as objects. `options.signal` cancels it (JOB_ABORTED).
   * @example const rows = await df.collect({ signal: AbortSignal.timeout(5000) });
   */
  async collect(options: RunOptions = {}): Promise<Row[]> {
    const batches = await this.collectBatches(options);
    const names = this.columns;
    const rows: Row[] = [];
    for (const b of batches) {
      const cols = b.columns.map(columnValues);
      for (let i = 0; i < b.numRows; i++) {
        const row: Row = {};
        for (let c = 0; c < names.length; c++) row[names[c]!] = cols[c]![i] as CellValue;
        rows.push(row);
      }
    }
    return rows;
  }

  /**
   * Starts the query and returns at once: a handle to await for the rows, or to `cancel()` (Spark's collectAsync).
   * @example const job = df.collectAsync(); setTimeout(() => job.cancel(), 1000); const rows = await job;
   */
  collectAsync(options: RunOptions = {}): FutureAction<Row[]> {
    return new FutureAction((o) => this.collect(o), options);
  }

  /** Runs the query; rows as arrays in column order. `options.signal` cancels it. */
  async collectArrays(options: RunOptions = {}): Promise<CellValue[][]> {
    const batches = await this.collectBatches(options);
    const rows: CellValue[][] = [];
    for (const b of batches) {
      const cols = b.columns.map(columnValues), width = cols.length;
      for (let i = 0; i < b.numRows; i++) {
        const row = new Array<CellValue>(width);
        for (let c = 0; c < width; c++) row[c] = cols[c]![i] as CellValue;
        rows.push(row);
      }
    }
    return rows;
  }

  /** The first `n` rows. */
  async take(n: number): Promise<Row[]> { return this.limit(n).collect(); }
  async head(n = 1): Promise<Row[]> { return this.take(n); }
  async first(): Promise<Row | undefined> { return (await this.take(1))[0]; }

  /** Runs the query; the result as an Apache Arrow table. */
  async toArrow(): Promise<arrow.Table> {
    return arrowTableOf(await this.collectBatches(), this.schema);
  }

  /** Number of rows. */
  async count(): Promise<number> {
    const counted = this.aggregate([], [alias({ type: "aggregate", fn: "count_star", args: [], distinct: false }, "count")]);
    const rows = await counted.collectArrays();
    return Number(rows[0]?.[0] ?? 0);
  }

  /** The first `n` rows as a text table (returned, and printed unless `print` is false). */
  async show(n = 20, options: { truncate?: number | boolean; print?: boolean } = {}): Promise<string> {
    const batches = await this.limit(n + 1).collectBatches();
    const text = formatShow(this.schema, batches, n, options.truncate ?? true);
    if (options.print !== false) console.log(text);
    return text;
  }

  /**
   * The plans: parsed, analyzed, optimized and physical (or only physical with `extended = false`).
   * File scans show what their footers say they will fetch (row groups pruned by statistics, bytes of
   * the projected column chunks). `"analyze"` runs the query and shows what each scan actually fetched.
   *
   * @example console.log(await df.filter(col("id").gt(10)).explain("analyze"))
   */
  explain(mode: "analyze"): Promise<string>;
  explain(extended?: boolean | "extended" | "simple"): string;
  explain(extended: boolean | "extended" | "simple" | "analyze" = true): string | Promise<string> {
    if (extended === "analyze") return this.session.explainAnalyze(this.plan);
    return this.session.explainText(this.parsedPlan, this.plan, extended !== false && extended !== "simple");
  }

  printSchema(): string {
    const text = ["root", ...this.schema.map((f) => ` |-- ${f.name}: ${typeToString(f.type)} (nullable = ${f.nullable})`)].join("\n");
    console.log(text);
    return text;
  }

  toString(): string {
    return `DataFrame[${this.schema.map((f) => `${f.name}: ${typeToString(f.type)}`).join(", ")}]`;
  }
}

/** Points `other.col(...)` references in a join condition at the fresh ids `renamed` (other with new ids) gave them. */
function retargetColumns(e: Expr, other: DataFrame, renamed: DataFrame): Expr {
  const ids = new Map(other.schema.map((f, i) => [f.id, renamed.schema[i]!.id]));
  return transformUp(e, (x) => (x.type === "column" && x.id !== undefined && COLUMN_ORIGIN.get(x) === other && ids.has(x.id) ? { ...x, id: ids.get(x.id)! } : x));
}

export { toExpr };
export type { ColumnLike };
