import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum, ExecutionError, CinderError } from "../../src/index.ts";
import type { Expr } from "../../src/plan/expressions.ts";
import type { AggregateFn } from "../../src/types/operations.ts";
import type { DataType, Field } from "../../src/types/data-types.ts";
import { BOOLEAN, DATE32, FLOAT64, INT32, INT64, UTF8, decimal } from "../../src/types/data-types.ts";
import { aggregateResultType } from "../../src/plan/expression-types.ts";
import { stateTypes } from "../../src/physical/planner.ts";
import type { AggregateCall, PhysicalOf } from "../../src/physical/physical-plan.ts";
import { execute } from "../../src/physical/execute.ts";
import type { TaskContext } from "../../src/physical/task-context.ts";
import { newTaskMetrics } from "../../src/types/task-metrics.ts";
import { CONFIG_DEFAULTS } from "../../src/common/config.ts";
import type { Batch, ColumnVector } from "../../src/exec/column-vector.ts";
import { utf8FromStrings } from "../../src/exec/column-vector.ts";
import { valueAt, vectorFromValues } from "../../src/exec/values.ts";
import { createGroupTable } from "../../src/exec/aggregate/group-table.ts";
import { IntKeyTable } from "../../src/exec/aggregate/int-key-table.ts";
import { duckRows, duckToParquet, normalize } from "../support/duckdb-oracle.ts";
import { dataFrameFromParquet } from "../support/datasets.ts";
import { assertRowsEqual } from "../support/compare.ts";

type Cell = number | string | boolean | null;

/** Group ids a reference implementation (a Map over JSON keys) would assign. */
function referenceIds(rows: Cell[][]): { ids: number[]; keys: Cell[][] } {
  const seen = new Map<string, number>();
  const ids: number[] = [], keys: Cell[][] = [];
  for (const r of rows) {
    const k = JSON.stringify(r.map((v) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v)));
    let id = seen.get(k);
    if (id === undefined) { id = seen.size; seen.set(k, id); keys.push(r); }
    ids.push(id);
  }
  return { ids, keys };
}

function cells(col: ColumnVector): Cell[] {
  return Array.from({ length: col.length }, (_, i) => {
    // A NULL dictionary entry is a NULL value (valueAt would read it as "").
    if (col.dictionary?.validity && col.dictionary.validity[col.values[i]!] === 0) return null;
    const v = valueAt(col, i);
    return v instanceof Date ? v.toISOString() : v;
  });
}

/** Feeds batches of key columns to a fresh table of `types`; checks ids and keys against the reference. */
function checkTable(types: DataType[], batches: ColumnVector[][]): void {
  const table = createGroupTable(types);
  const got: number[] = [];
  const rows: Cell[][] = [];
  for (const keys of batches) {
    const n = keys[0]!.length;
    const out = new Int32Array(n);
    table.findOrInsert(keys, n, out);
    got.push(...out);
    const cols = keys.map(cells);
    for (let i = 0; i < n; i++) rows.push(cols.map((c) => c[i]!));
  }
  const ref = referenceIds(rows);
  assert.deepEqual(got, ref.ids);
  assert.equal(table.numGroups, ref.keys.length);
  const keyCols = table.keyColumns().map(cells);
  const keys = ref.keys.map((_, g) => keyCols.map((c) => c[g]!));
  assert.deepEqual(JSON.stringify(keys), JSON.stringify(ref.keys));
}

function dictionaryColumn(dict: (string | null)[], codes: (number | null)[]): ColumnVector {
  const validity = codes.some((c) => c === null) ? Uint8Array.from(codes, (c) => (c === null ? 0 : 1)) : null;
  return { type: UTF8, length: codes.length, values: Int32Array.from(codes, (c) => c ?? 0), validity, dictionary: utf8FromStrings(dict) };
}

describe("group tables", () => {
  it("int key: direct mapping, NULL group, then a range wide enough to switch to hashing", () => {
    const small = [3, 1, null, 3, 7, 1, null, 2].map((v) => v);
    const wide = [5_000_000, 3, -7_000_000, null, 5_000_000, 1, 2 ** 31 - 1, -(2 ** 31)];
    const many = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 3001 * 1000 - 1_000_000);
    checkTable([INT32], [[vectorFromValues(INT32, small)], [vectorFromValues(INT32, wide)], [vectorFromValues(INT32, many)]]);
  });

  it("int key: direct map widens as later batches extend the range", () => {
    checkTable([INT32], [[vectorFromValues(INT32, [10, 11, 12])], [vectorFromValues(INT32, [-5, 11, 40])], [vectorFromValues(INT32, [100, -5, 10])]]);
    checkTable([DATE32], [[vectorFromValues(DATE32, ["2020-01-01", null, "2021-03-04"])], [vectorFromValues(DATE32, ["2021-03-04", "1999-12-31"])]]);
    checkTable([BOOLEAN], [[vectorFromValues(BOOLEAN, [true, null, false, true])]]);
    // Rising keys (sorted input) over many batches: the map widens, then outgrows its limit and turns to hashing.
    const rising = Array.from({ length: 150 }, (_, b) => [vectorFromValues(INT32, Array.from({ length: 1000 }, (_, i) => b * 2000 + (i % 700) * 2))]);
    checkTable([INT32], rising);
  });

  it("int key: keys within the direct limit stay direct whatever order their range arrives in", () => {
    // Random keys in [0, 200000): each batch's range starts a little above the last one's smallest key, which
    // once counted the map's headroom as range and sent a table that fits to hashing.
    const table = new IntKeyTable(INT32);
    let seed = 7;
    for (let b = 0; b < 8; b++) {
      const keys = Int32Array.from({ length: 50_000 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 200_000);
      if (b === 0) keys[0] = 5;
      table.findOrInsert([{ type: INT32, length: keys.length, values: keys, validity: null }], keys.length, new Int32Array(keys.length));
    }
    assert.equal(table.isDirect, true);
    const rising = Array.from({ length: 150 }, (_, b) => [vectorFromValues(INT32, Array.from({ length: 1000 }, (_, i) => b * 2000 + (i % 700) * 2))]);
    checkTable([INT32], [[vectorFromValues(INT32, [150_000, 4])], ...rising.slice(0, 20)]);
  });

  it("string key: plain and dictionary batches (changing dictionaries, NULL codes and entries) share groups", () => {
    checkTable([UTF8], [
      [utf8FromStrings(["b", "a", null, "b", "", "a long string of more than sixteen bytes"])],
      [dictionaryColumn(["a", "zz", "b", null], [0, 1, 1, 2, null, 3, 0])],
      [dictionaryColumn(["a", "zz", "b", null], [1, 1, 2])],
      [dictionaryColumn(["q", "a"], [0, 1, 1, 0])],
      [utf8FromStrings(Array.from({ length: 3000 }, (_, i) => `key${i % 1200}`))],
    ]);
  });

  it("multi-column keys: NULLs, NaN and strings; fixed-width keys", () => {
    const a = [1.5, NaN, null, 1.5, NaN, 2, null, 1.5];
    const b = ["x", "y", "x", "x", "y", null, "x", null];
    const c = Array.from({ length: 2000 }, (_, i) => (i % 37) * 0.5);
    const d = Array.from({ length: 2000 }, (_, i) => `s${i % 11}`);
    checkTable([FLOAT64, UTF8], [
      [vectorFromValues(FLOAT64, a), utf8FromStrings(b)],
      [vectorFromValues(FLOAT64, c), utf8FromStrings(d)],
      [vectorFromValues(FLOAT64, a), dictionaryColumn(["x", "y"], [0, 1, 0, 0, 1, null, 0, null])],
    ]);
    // Two string keys (each numbered by its own table), as a Parquet scan gives them: dictionaries
    // changing between batches, NULL codes and entries, then plain strings for the same groups.
    checkTable([UTF8, UTF8, INT32], [
      [dictionaryColumn(["R", "A", "N"], [0, 1, 2, 0, null]), dictionaryColumn(["F", "O", null], [0, 0, 1, 2, 0]), vectorFromValues(INT32, [1, 1, 1, 1, 1])],
      [dictionaryColumn(["N", "R"], [1, 0, 0, 1]), dictionaryColumn(["O", "F"], [1, 1, 0, 0]), vectorFromValues(INT32, [1, 1, 1, 2])],
      [utf8FromStrings(["R", null, "A", "R"]), utf8FromStrings(["F", "F", null, "F"]), vectorFromValues(INT32, [1, 1, 1, null])],
    ]);
    checkTable([INT64], [[vectorFromValues(INT64, [2 ** 40, null, 2 ** 40, -3])]]);
    // All fixed-width keys: values kept in the table's own row-major store.
    checkTable([FLOAT64, INT32], [
      [vectorFromValues(FLOAT64, a), vectorFromValues(INT32, [1, 2, 1, 1, 2, null, 1, null])],
      [vectorFromValues(FLOAT64, c), vectorFromValues(INT32, Array.from({ length: 2000 }, (_, i) => i % 5))],
      [vectorFromValues(FLOAT64, [-0, 0, NaN, null]), vectorFromValues(INT32, [1, 1, 2, null])],
    ]);
  });
});

// ---- running the operator directly over given batches ----

function field(name: string, type: DataType, id: number): Field {
  return { name, type, nullable: true, id };
}

function call(fn: AggregateFn, argIndex: number | null, argType: DataType | undefined, distinct = false): AggregateCall {
  const arg: Expr | null = argIndex === null ? null : { type: "boundRef", index: argIndex, dataType: argType!, nullable: true };
  return { fn, arg, distinct, resultType: aggregateResultType(fn, argType), stateTypes: stateTypes(fn, argType) };
}

function contextOver(partitions: Batch[][], batchSize: number): TaskContext {
  return {
    config: { ...CONFIG_DEFAULTS, "batch.size": batchSize },
    sources: {
      numPartitions: () => partitions.length,
      read: async function* (_s, _schema, _p, _f, partition) { yield* partitions[partition] ?? []; },
    },
    exchanges: {
      readShuffle: () => { throw new Error("no shuffles here"); },
      readBroadcast: () => { throw new Error("no broadcasts here"); },
    },
    metrics: newTaskMetrics(),
  };
}

async function run(node: PhysicalOf<"HashAggregateExec">, ctx: TaskContext, partition = 0): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of execute(node, partition, ctx)) out.push(b);
  return out;
}

function rowsOf(batches: Batch[]): Cell[][] {
  const rows: Cell[][] = [];
  for (const b of batches) {
    const cols = b.columns.map(cells);
    for (let i = 0; i < b.numRows; i++) rows.push(cols.map((c) => c[i]!));
  }
  return rows;
}

const sortRows = (rows: Cell[][]) => rows.map((r) => JSON.stringify(r)).sort();

describe("HashAggregateExec", () => {
  // Input columns: k int32, v float64, s utf8, p decimal(10,2), n int64.
  const inputSchema = [field("k", INT32, 1), field("v", FLOAT64, 2), field("s", UTF8, 3), field("p", decimal(10, 2), 4), field("n", INT64, 5)];
  const N = 500;
  const ks = Array.from({ length: N }, (_, i) => (i % 13 === 0 ? null : (i * 31) % 17));
  const vs = Array.from({ length: N }, (_, i) => (i % 7 === 0 ? null : (i % 50) / 4));
  const ss = Array.from({ length: N }, (_, i) => (i % 9 === 0 ? null : `s${(i * 7) % 23}`));
  const ps = Array.from({ length: N }, (_, i) => (i % 5 === 0 ? null : ((i * 13) % 400) / 100));
  const ns = Array.from({ length: N }, (_, i) => i * 1000 - 7);
  const batchesOf = (from: number, to: number, size: number): Batch[] => {
    const out: Batch[] = [];
    for (let s = from; s < to; s += size) {
      const e = Math.min(to, s + size);
      out.push({
        numRows: e - s,
        columns: [vectorFromValues(INT32, ks.slice(s, e)), vectorFromValues(FLOAT64, vs.slice(s, e)), utf8FromStrings(ss.slice(s, e)),
          vectorFromValues(decimal(10, 2), ps.slice(s, e)), vectorFromValues(INT64, ns.slice(s, e))],
      });
    }
    return out;
  };
  const aggregates = [
    call("sum", 1, FLOAT64), call("avg", 1, FLOAT64), call("count", 1, FLOAT64), call("count_star", null, undefined),
    call("min", 2, UTF8), call("max", 2, UTF8), call("sum", 3, decimal(10, 2)), call("avg", 3, decimal(10, 2)),
    call("min", 4, INT64), call("max", 1, FLOAT64), call("sum", 4, INT64), call("first", 4, INT64),
  ];
  const keyRef: Expr = { type: "boundRef", index: 0, dataType: INT32, nullable: true };
  const scan = (parts: number) => ({ type: "ScanExec" as const, source: { kind: "memory" as const, tableId: "t0", numPartitions: parts, rowCount: N, sizeBytes: 0 }, sourceSchema: inputSchema, projection: null, filters: [], numPartitions: parts, schema: inputSchema });
  const outSchema = [field("k", INT32, 10), ...aggregates.map((a, i) => field(`a${i}`, a.resultType, 20 + i))];

  /** What each aggregate should give, computed row by row from the arrays above. */
  function expected(): Cell[][] {
    const groups = new Map<number | null, number[]>();
    ks.forEach((k, i) => groups.set(k, [...(groups.get(k) ?? []), i]));
    const nonNull = <T>(xs: (T | null)[]) => xs.filter((x): x is T => x !== null);
    return [...groups].map(([k, rows]) => {
      const v = nonNull(rows.map((i) => vs[i]!)), s = nonNull(rows.map((i) => ss[i]!)).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
      const p = nonNull(rows.map((i) => ps[i]!)), n = rows.map((i) => ns[i]!);
      const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const pUnscaled = total(p.map((x) => Math.round(x * 100)));
      return [k, v.length ? total(v) : null, v.length ? total(v) / v.length : null, v.length, rows.length, s[0] ?? null, s[s.length - 1] ?? null,
        p.length ? pUnscaled / 100 : null, p.length ? pUnscaled / p.length / 100 : null, Math.min(...n), v.length ? Math.max(...v) : null, total(n), n[0]!];
    });
  }

  function assertClose(actual: Cell[][], wanted: Cell[][]): void {
    const round = (rows: Cell[][]) => sortRows(rows.map((r) => r.map((x) => (typeof x === "number" ? Number(x.toPrecision(10)) : x))));
    assert.deepEqual(round(actual), round(wanted));
  }

  it("complete mode over many small batches, output cut to batch.size", async () => {
    const node: PhysicalOf<"HashAggregateExec"> = { type: "HashAggregateExec", input: scan(1), mode: "complete", groupBy: [keyRef], aggregates, schema: outSchema };
    const out = await run(node, contextOver([batchesOf(0, N, 37)], 5));
    assert.ok(out.length >= 4 && out.every((b) => b.numRows <= 5), `batches of ${out.map((b) => b.numRows)}`);
    assertClose(rowsOf(out), expected());
  });

  it("partial states from several partitions merge in final mode to the complete result", async () => {
    const stateFields = aggregates.flatMap((a, i) => a.stateTypes.map((t, k) => field(`a${i}_state${k}`, t, 100 + i * 3 + k)));
    const partialSchema = [field("k", INT32, 10), ...stateFields];
    const partial: PhysicalOf<"HashAggregateExec"> = { type: "HashAggregateExec", input: scan(3), mode: "partial", groupBy: [keyRef], aggregates, schema: partialSchema };
    const ctx = contextOver([batchesOf(0, 100, 30), batchesOf(100, 380, 64), batchesOf(380, N, 500)], 1000);
    const states: Batch[] = [];
    for (let p = 0; p < 3; p++) {
      const out = await run(partial, ctx, p);
      for (const b of out) assert.deepEqual(b.columns.map((c) => c.type), partialSchema.map((f) => f.type));
      states.push(...out);
    }
    const final: PhysicalOf<"HashAggregateExec"> = {
      type: "HashAggregateExec", mode: "final", groupBy: [keyRef], aggregates, schema: outSchema,
      input: { type: "ScanExec", source: { kind: "memory", tableId: "t1", numPartitions: 1, rowCount: 0, sizeBytes: 0 }, sourceSchema: partialSchema, projection: null, filters: [], numPartitions: 1, schema: partialSchema },
    };
    assertClose(rowsOf(await run(final, contextOver([states], 1000))), expected());
  });

  it("a global aggregate over no batches gives one row; its partial side gives none", async () => {
    const globalSchema = aggregates.map((a, i) => field(`a${i}`, a.resultType, 20 + i));
    const node: PhysicalOf<"HashAggregateExec"> = { type: "HashAggregateExec", input: scan(1), mode: "complete", groupBy: [], aggregates, schema: globalSchema };
    assert.deepEqual(rowsOf(await run(node, contextOver([[]], 100))), [[null, null, 0, 0, null, null, null, null, null, null, null, null]]);
    assert.deepEqual(await run({ ...node, mode: "partial" }, contextOver([[]], 100)), []);
    assert.deepEqual(await run({ ...node, groupBy: [keyRef], schema: outSchema }, contextOver([[]], 100)), []);
  });

  it("count/sum DISTINCT see each value of a group once", async () => {
    const distinctAggs = [call("count", 2, UTF8, true), call("sum", 0, INT32, true), call("avg", 0, INT32, true)];
    const node: PhysicalOf<"HashAggregateExec"> = {
      type: "HashAggregateExec", input: scan(1), mode: "complete", groupBy: [{ type: "boundRef", index: 4, dataType: INT64, nullable: false }],
      aggregates: distinctAggs, schema: [field("n", INT64, 9), ...distinctAggs.map((a, i) => field(`d${i}`, a.resultType, 30 + i))],
    };
    // Globally, DISTINCT collapses repeats across batches; grouped by n (unique per row), each group holds its one value.
    const global = { ...node, groupBy: [], schema: distinctAggs.map((a, i) => field(`d${i}`, a.resultType, 30 + i)) };
    const rows = rowsOf(await run(global, contextOver([batchesOf(0, N, 64)], 100)));
    const distinctK = [...new Set(ks.filter((k) => k !== null))] as number[];
    const distinctS = new Set(ss.filter((s) => s !== null));
    const kSum = distinctK.reduce((a, b) => a + b, 0);
    assert.deepEqual(rows, [[distinctS.size, kSum, kSum / distinctK.length]]);
    const perRow = rowsOf(await run(node, contextOver([batchesOf(0, 40, 16)], 100)));
    assert.equal(perRow.length, 40);
    for (const [n, c, s] of perRow) {
      const i = ((n as number) + 7) / 1000;
      assert.equal(c, ss[i] === null ? 0 : 1);
      assert.equal(s, ks[i]);
    }
  });
});

describe("sum overflow", () => {
  it("fails with ARITHMETIC_OVERFLOW instead of rounding a bigint sum past 2^53", async () => {
    const session = new Session();
    const df = session.createDataFrame([{ k: 1, v: 2 ** 52 }, { k: 1, v: 2 ** 52 }, { k: 2, v: 5 }], { schema: { k: "int", v: "bigint" } });
    await assert.rejects(df.groupBy("k").agg(sum("v")).collectArrays(), (e: unknown) => {
      assert.ok(e instanceof ExecutionError || (CinderError.is(e) && e.name === "ExecutionError"));
      assert.equal((e as CinderError).code, "ARITHMETIC_OVERFLOW");
      assert.match((e as Error).message, /beyond ±2\^53/);
      return true;
    });
    const fine = session.createDataFrame([{ k: 1, v: 2 ** 52 }, { k: 1, v: 2 ** 52 - 1 }, { k: 1, v: -(2 ** 52) }], { schema: { k: "int", v: "bigint" } });
    assert.deepEqual(await fine.groupBy("k").agg(sum("v")).collectArrays(), [[1, 2 ** 52 - 1]]);
  });
});

describe("decimal sums past 2^53 unscaled", () => {
  it("equal DuckDB's (rounded once, to within one part in 2^53) instead of failing", async () => {
    // p * p is decimal(24,4) near 10^10, unscaled near 10^14; each group's total of 13,000 is near 10^18, past 2^53.
    const { bytes, path } = await duckToParquet("big-decimals", `SELECT (i % 3)::INTEGER AS k,
      (90000 + (i * 7919 % 1000003) / 100.0)::DECIMAL(12,2) AS p FROM range(40000) t(i)`);
    const session = new Session();
    const df = dataFrameFromParquet(session, bytes, 4);
    df.createOrReplaceTempView("big");
    const sql = "SELECT k, sum(p * p) AS s2, sum(p) AS s, avg(p) AS a FROM big GROUP BY k";
    const oracle = async (q: string) => (await duckRows(q.replace("FROM big", `FROM '${path}'`))).map((r) => r.map(normalize));
    assertRowsEqual(await session.sql(sql).collectArrays(), await oracle(sql));
    const windowed = "SELECT k, sum(p * p) OVER (PARTITION BY k ORDER BY p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run FROM big";
    assertRowsEqual(await session.sql(windowed).collectArrays(), await oracle(windowed));
  });
});
