import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import type { Expr } from "../../src/plan/expressions.ts";
import type { Field } from "../../src/types/data-types.ts";
import { mayMatch, rowGroupMayMatch } from "../../src/io/parquet-pruning.ts";
import { parquetFormatReader } from "../../src/io/parquet-reader.ts";
import { newTaskMetrics } from "../../src/types/task-metrics.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import type { ColumnStats } from "../../src/io/parquet-pruning.ts";
import { duckRows, duckRun, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { and, cmp, runWithMetrics, withPushedFilter } from "./support-plans.ts";

const F: Field = { name: "x", type: { kind: "int64" }, nullable: true, id: 1 };
const x: Expr = { type: "column", name: "x", id: 1, dataType: F.type, nullable: true };
const lit = (v: number | null): Expr => ({ type: "literal", value: v, dataType: { kind: "int64" } });
const bin = (op: "=" | "<" | ">" | ">=" | "<=" | "!=" | "and" | "or", l: Expr, r: Expr): Expr => ({ type: "binary", op, left: l, right: r });

function check(e: Expr, s: Partial<ColumnStats>): boolean {
  const stats: ColumnStats = { min: 10, max: 20, nullCount: 0, numRows: 100, ...s };
  return rowGroupMayMatch([e], [F], () => stats);
}

describe("row-group pruning from statistics", () => {
  it("skips comparisons outside [min, max] and keeps those that may match", () => {
    assert.equal(check(bin("=", x, lit(5)), {}), false);
    assert.equal(check(bin("=", x, lit(15)), {}), true);
    assert.equal(check(bin(">", x, lit(20)), {}), false);
    assert.equal(check(bin(">=", x, lit(20)), {}), true);
    assert.equal(check(bin("<", x, lit(10)), {}), false);
    assert.equal(check(bin("<=", x, lit(10)), {}), true);
    assert.equal(check(bin("<", lit(25), x), {}), false, "literal on the left flips the operator");
    assert.equal(check(bin("!=", x, lit(10)), { max: 10 }), false);
    assert.equal(check(bin("=", x, lit(null)), {}), false, "= NULL is never true");
  });

  it("combines AND, OR, NOT, IN and IS NULL", () => {
    assert.equal(check(bin("and", bin(">", x, lit(0)), bin("<", x, lit(5))), {}), false);
    assert.equal(check(bin("or", bin("<", x, lit(5)), bin(">", x, lit(15))), {}), true);
    assert.equal(check({ type: "not", expr: bin("<=", x, lit(20)) }, {}), false);
    assert.equal(check({ type: "in", expr: x, list: [lit(1), lit(30)], negated: false }, {}), false);
    assert.equal(check({ type: "in", expr: x, list: [lit(1), lit(12)], negated: false }, {}), true);
    assert.equal(check({ type: "isNull", expr: x, negated: false }, { nullCount: 0 }), false);
    assert.equal(check({ type: "isNull", expr: x, negated: true }, { nullCount: 100, min: null, max: null }), false);
    assert.equal(check(bin(">", x, lit(0)), { nullCount: 100, min: null, max: null }), false, "an all-NULL group matches no comparison");
  });

  it("never skips what it does not understand", () => {
    assert.equal(check({ type: "call", name: "abs", args: [x] }, {}), true);
    assert.equal(check(bin("=", x, lit(5)), { min: null, max: null }), true);
    assert.equal(mayMatch(bin("=", { type: "call", name: "f", args: [] }, lit(1)), () => null), true);
  });

  it("compares strings by UTF-8 bytes and decimals by value", () => {
    const s: Field = { name: "s", type: { kind: "utf8" }, nullable: true, id: 2 };
    const sRef: Expr = { type: "column", name: "s", id: 2, dataType: s.type };
    const stats: ColumnStats = { min: "apple", max: "cherry", nullCount: 0, numRows: 10 };
    const eq = (v: string): boolean => rowGroupMayMatch([bin("=", sRef, { type: "literal", value: v, dataType: s.type })], [s], () => stats);
    assert.equal(eq("banana"), true);
    assert.equal(eq("zebra"), false);
    assert.equal(eq("Apple"), false);
    const d: Field = { name: "d", type: { kind: "decimal", precision: 12, scale: 2 }, nullable: true, id: 3 };
    const dRef: Expr = { type: "column", name: "d", id: 3, dataType: d.type };
    const dStats: ColumnStats = { min: 1.5, max: 2.25, nullCount: 0, numRows: 10 };
    // 300 unscaled at scale 2 = 3.00
    assert.equal(rowGroupMayMatch([bin(">", dRef, { type: "literal", value: 300, dataType: d.type })], [d], () => dStats), false);
    assert.equal(rowGroupMayMatch([bin(">", dRef, { type: "literal", value: 200, dataType: d.type })], [d], () => dStats), true);
  });
});

describe("pruning Parquet scans", () => {
  const session = new Session();
  let df: DataFrame;
  let path: string;
  before(async () => {
    path = join(scratchDir, "pruning.parquet");
    await duckRun(`COPY (SELECT i AS id, (i / 1000)::DECIMAL(10,2) AS amount, DATE '2020-01-01' + (i // 100)::INTEGER AS day,
      'k' || lpad((i // 5000)::VARCHAR, 3, '0') AS key, CASE WHEN i >= 40000 THEN NULL ELSE i END AS maybe FROM range(50000) t(i) ORDER BY i) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`);
    df = await session.read.option("splitBytes", 1).parquet(path);
  });

  async function pruned(filter: ReturnType<typeof cmp>, sql: string, cols: string[] = ["id"]): Promise<{ skipped: number; read: number }> {
    const { rows, metrics } = await runWithMetrics(session, withPushedFilter(session, df, filter).select(...cols));
    assertRowsEqual(rows, await duckRows(`SELECT ${cols.join(", ")} FROM read_parquet('${path}') WHERE ${sql}`));
    return { skipped: metrics.rowGroupsSkipped, read: metrics.rowGroupsRead };
  }

  it("uses one scan partition per row group", () => {
    assert.ok(df.explain().includes("partitions="));
    const plan = session.planPhysical(df.plan);
    assert.ok(plan.type === "ScanExec" && plan.numPartitions > 1, "several row groups give several partitions");
  });

  it("skips row groups on integers, decimals, dates, strings and NULL tests", async () => {
    const total = (r: { skipped: number; read: number }): number => r.skipped + r.read;
    let r = await pruned(cmp(df, "id", ">=", 45000), "id >= 45000");
    assert.ok(r.skipped > 0 && r.read >= 1, JSON.stringify(r));
    const groups = total(r);
    r = await pruned(cmp(df, "amount", "<", 500, { kind: "decimal", precision: 10, scale: 2 }), "amount < 5.00");
    assert.ok(r.skipped >= groups - 1, JSON.stringify(r));
    r = await pruned(cmp(df, "day", "=", Math.round(Date.UTC(2020, 1, 1) / 86400000)), "day = DATE '2020-02-01'");
    assert.ok(r.skipped >= groups - 1, JSON.stringify(r));
    r = await pruned(cmp(df, "key", "=", "k009"), "key = 'k009'", ["id", "key"]);
    assert.ok(r.skipped >= groups - 2, JSON.stringify(r)); // k009 spans a row-group boundary
    r = await pruned({ type: "isNull", expr: { type: "column", name: "maybe", id: df.schema[4]!.id, dataType: df.schema[4]!.type }, negated: false }, "maybe IS NULL");
    assert.ok(r.skipped > 0, JSON.stringify(r));
    r = await pruned(and(cmp(df, "id", ">", 10), cmp(df, "id", "<", 5)), "id > 10 AND id < 5");
    // Conjuncts are checked one by one: only the first group (0..6143) has rows both > 10 and < 5 by its bounds.
    assert.ok(r.read <= 1, JSON.stringify(r));
  });

  it("counts rows from the footer when no column is projected", async () => {
    const scan = df.plan as Extract<LogicalPlan, { type: "Scan" }>;
    const reader = parquetFormatReader();
    const metrics = newTaskMetrics();
    let rows = 0;
    for (let p = 0; p < reader.numPartitions(scan.source); p++) {
      for await (const b of reader.read(scan.source, scan.schema, [], [], p, undefined, metrics)) { rows += b.numRows; assert.equal(b.columns.length, 0); }
    }
    assert.equal(rows, 50000);
    assert.equal(metrics.bytesRead, 0);
    // Through the optimizer, count(*) keeps one column (as Spark does), and reads only that one.
    const counted = await runWithMetrics(session, df.groupBy().count());
    assertRowsEqual(counted.rows, [[50000]]);
    assert.ok(counted.metrics.bytesRead < (scan.source as { sizeBytes?: number }).sizeBytes! / 2, `read ${counted.metrics.bytesRead} bytes`);
  });

  it("prunes Hive partitions from their directory values", async () => {
    const dir = join(scratchDir, "prune-hive");
    await duckRun(`COPY (SELECT i AS id, i % 4 AS p FROM range(4000) t(i)) TO '${dir}' (FORMAT parquet, PARTITION_BY (p), OVERWRITE_OR_IGNORE)`);
    const t = await session.read.parquet(dir);
    const { rows, metrics } = await runWithMetrics(session, withPushedFilter(session, t, cmp(t, "p", "=", 2)).select("id"));
    assertRowsEqual(rows, await duckRows(`SELECT id FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true) WHERE p = 2`));
    assert.equal(metrics.rowGroupsSkipped, 3);
  });

  it("gets the same answers through the DataFrame API (with or without optimizer pushdown)", async () => {
    const rows = await df.filter(col("id").gt(49990)).select("id", "key").collectArrays();
    assertRowsEqual(rows, await duckRows(`SELECT id, key FROM read_parquet('${path}') WHERE id > 49990`));
  });
});
