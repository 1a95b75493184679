import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import * as arrow from "apache-arrow";
import { Session, col, sum, sumDistinct, avg, count, countDistinct, min, max, first, AnalysisError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual, normalizeCinder } from "../support/compare.ts";

const rowKey = (row: unknown[]) => JSON.stringify(row.map(normalizeCinder));

describe("groupBy / agg like DuckDB (one partition)", () => {
  const session = new Session();
  let t: Record<string, DataFrame>;
  before(async () => { t = await loadTables(session, ["facts", "empty", "single"]); });

  it("groups by one int key with NULLs: sum, avg, count(*), count, min, max", async () => {
    const rows = await t.facts!.groupBy("k").agg(sum("v"), avg("v"), count("*"), count("v"), min("v"), max("v"), min("id"), max("id")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT k, sum(v), avg(v), count(*), count(v), min(v), max(v), min(id), max(id) FROM facts GROUP BY k"));
  });

  it("groups by several keys, with decimal sums/averages and date min/max", async () => {
    const rows = await t.facts!.groupBy("k", "g").agg(sum("p"), avg("p"), min("d"), max("d"), sum("id")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT k, g, sum(p), avg(p), min(d), max(d), sum(id) FROM facts GROUP BY k, g"));
  });

  it("groups by a string key", async () => {
    const rows = await t.facts!.groupBy("s").agg(sum("g"), count("k"), min("k"), max("p"), avg("v")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT s, sum(g), count(k), min(k), max(p), avg(v) FROM facts GROUP BY s"));
  });

  it("groups by a bigint key and by a date key", async () => {
    assertRowsEqual(await t.facts!.groupBy("g").agg(count("*"), sum("k")).collectArrays(), await duckRows("SELECT g, count(*), sum(k) FROM facts GROUP BY g"));
    assertRowsEqual(await t.facts!.groupBy("d").agg(count("*"), max("s")).collectArrays(), await duckRows("SELECT d, count(*), max(s) FROM facts GROUP BY d"));
  });

  it("groups by an aliased expression and names the key column by its alias", async () => {
    const df = t.facts!.groupBy(col("k").plus(1).alias("k1")).agg(count("*").alias("n"));
    assert.deepEqual(df.columns, ["k1", "n"]);
    assertRowsEqual(await df.collectArrays(), await duckRows("SELECT k + 1 AS k1, count(*) AS n FROM facts GROUP BY k + 1"));
  });

  it("takes min and max of strings in byte order", async () => {
    const rows = await t.facts!.groupBy("k").agg(min("s"), max("s")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT k, min(s), max(s) FROM facts GROUP BY k"));
  });

  it("counts and sums distinct values", async () => {
    const rows = await t.facts!.groupBy("g").agg(countDistinct("s"), countDistinct("k"), sumDistinct("k"), count("k")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT g, count(DISTINCT s), count(DISTINCT k), sum(DISTINCT k), count(k) FROM facts GROUP BY g"));
  });

  it("first returns a value of its own group", async () => {
    const rows = await t.facts!.groupBy("k").agg(first("s"), first("id")).collectArrays();
    const pairs = new Set((await duckRows("SELECT k, s, id FROM facts")).map(rowKey));
    const keys = await duckRows("SELECT DISTINCT k FROM facts");
    assert.equal(rows.length, keys.length);
    const sPairs = new Set((await duckRows("SELECT DISTINCT k, s FROM facts")).map(rowKey));
    const idPairs = new Set((await duckRows("SELECT k, id FROM facts")).map(rowKey));
    for (const [k, s, id] of rows) {
      assert.ok(sPairs.has(rowKey([k, s])), `first(s) ${s} is not in group ${k}`);
      assert.ok(idPairs.has(rowKey([k, id])), `first(id) ${id} is not in group ${k}`);
    }
    assert.ok(pairs.size > 0);
  });

  it("aggregates without keys", async () => {
    const rows = await t.facts!.agg(sum("v"), avg("p"), count("*"), count("k"), min("s"), max("d"), sum("g")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT sum(v), avg(p), count(*), count(k), min(s), max(d), sum(g) FROM facts"));
    assert.equal(await t.facts!.count(), 2000);
  });

  it("distinct() keeps one row per distinct row", async () => {
    const rows = await t.facts!.select("k", "s").distinct().collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT DISTINCT k, s FROM facts"));
  });

  it("dropDuplicates on a subset keeps one input row per key", async () => {
    const rows = await t.facts!.dropDuplicates(["k"]).collectArrays();
    const keys = await duckRows("SELECT DISTINCT k FROM facts");
    assert.equal(rows.length, keys.length);
    assert.equal(new Set(rows.map((r) => rowKey([r[1]]))).size, keys.length);
    const inputRows = new Set((await duckRows("SELECT * FROM facts")).map(rowKey));
    for (const r of rows) assert.ok(inputRows.has(rowKey(r)), `row ${rowKey(r)} is not an input row`);
  });

  it("grouped aggregate over empty input has no rows; global one has one", async () => {
    assert.deepEqual(await t.empty!.groupBy("k").agg(sum("v"), count("*")).collectArrays(), []);
    const rows = await t.empty!.agg(count("*"), count("v"), sum("v"), avg("v"), min("s"), max("k")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT count(*), count(v), sum(v), avg(v), min(s), max(k) FROM empty"));
    assert.deepEqual(rows, [[0, 0, null, null, null, null]]);
    assert.equal(await t.empty!.count(), 0);
  });

  it("aggregates a single row", async () => {
    const rows = await t.single!.groupBy("s").agg(sum("k"), avg("v"), count("*"), min("v"), first("k")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT s, sum(k), avg(v), count(*), min(v), first(k) FROM single GROUP BY s"));
  });

  it("aggregates an expression key and SQL GROUP BY gives the same", async () => {
    const rows = await t.facts!.groupBy(col("k").multiply(2)).agg(count("*")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT k * 2, count(*) FROM facts GROUP BY k * 2"));
  });

  it("count(*) and count(x) read the counts of a sum or avg pass, in any call order, with NULL arguments", async () => {
    // v and p have NULLs in some groups; count(*) must still count those rows, count(v) must not.
    const small = new Session({ "batch.size": 128 });
    const facts = (await loadTables(small, ["facts"]))["facts"]!;
    for (const df of [t.facts!, facts]) {
      const rows = await df.groupBy("k").agg(count("*"), count("v"), sum("v"), count("p"), avg("p"), count("*").alias("again"), count("id")).collectArrays();
      assertRowsEqual(rows, await duckRows("SELECT k, count(*), count(v), sum(v), count(p), avg(p), count(*), count(id) FROM facts GROUP BY k"));
      const global = await df.agg(count("*"), avg("v"), count("v"), sum("g")).collectArrays();
      assertRowsEqual(global, await duckRows("SELECT count(*), avg(v), count(v), sum(g) FROM facts"));
      // Counts alone over one global group add batch sizes (less the NULLs) rather than a group id per row.
      assertRowsEqual(await df.agg(count("*"), count("v"), count("k")).collectArrays(), await duckRows("SELECT count(*), count(v), count(k) FROM facts"));
      const filtered = await df.filter(col("v").isNull()).groupBy("g").agg(sum("v"), count("*"), count("v")).collectArrays();
      assertRowsEqual(filtered, await duckRows("SELECT g, sum(v), count(*), count(v) FROM facts WHERE v IS NULL GROUP BY g"));
    }
  });

  it("rejects sum over a string column with a typed error", () => {
    assert.throws(() => t.facts!.groupBy("k").agg(sum("s")), (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.equal(e.code, "DATATYPE_MISMATCH");
      assert.match(e.message, /sum needs a numeric argument/);
      return true;
    });
  });
});

describe("groupBy / agg across partitions (partial -> shuffle -> final)", () => {
  const session = new Session({ "shuffle.partitions": 3 });
  let t: Record<string, DataFrame>;
  before(async () => { t = await loadTables(session, ["facts", "empty"], 4); });

  it("plans partial and final aggregates around a shuffle", () => {
    const text = t.facts!.groupBy("k").agg(sum("v")).explain();
    assert.match(text, /HashAggregateExec\(partial\)/);
    assert.match(text, /HashAggregateExec\(final\)/);
    assert.match(text, /Exchange hashpartitioning/);
  });

  it("matches DuckDB for every mergeable aggregate", async () => {
    const rows = await t.facts!.groupBy("k").agg(sum("v"), avg("v"), count("*"), count("v"), min("s"), max("s"), min("d"), max("p"), sum("p"), avg("p")).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT k, sum(v), avg(v), count(*), count(v), min(s), max(s), min(d), max(p), sum(p), avg(p) FROM facts GROUP BY k"));
  });

  it("merges string and multi-column keys", async () => {
    assertRowsEqual(await t.facts!.groupBy("s").agg(sum("k"), count("*")).collectArrays(), await duckRows("SELECT s, sum(k), count(*) FROM facts GROUP BY s"));
    assertRowsEqual(await t.facts!.groupBy("s", "g").agg(avg("v")).collectArrays(), await duckRows("SELECT s, g, avg(v) FROM facts GROUP BY s, g"));
  });

  it("merges first's state and keeps a value of the group", async () => {
    const rows = await t.facts!.groupBy("g").agg(first("s")).collectArrays();
    const pairs = new Set((await duckRows("SELECT DISTINCT g, s FROM facts")).map(rowKey));
    assert.equal(rows.length, 5);
    for (const r of rows) assert.ok(pairs.has(rowKey(r)));
  });

  it("runs distinct aggregates in one step after a shuffle", async () => {
    const df = t.facts!.groupBy("g").agg(countDistinct("k"), sum("v"));
    assert.doesNotMatch(df.explain(), /partial/);
    assertRowsEqual(await df.collectArrays(), await duckRows("SELECT g, count(DISTINCT k), sum(v) FROM facts GROUP BY g"));
  });

  it("global aggregates, distinct() and empty inputs", async () => {
    assertRowsEqual(await t.facts!.agg(count("*"), sum("v"), min("s")).collectArrays(), await duckRows("SELECT count(*), sum(v), min(s) FROM facts"));
    assertRowsEqual(await t.facts!.select("k").distinct().collectArrays(), await duckRows("SELECT DISTINCT k FROM facts"));
    assert.deepEqual(await t.empty!.agg(count("*"), sum("v")).collectArrays(), [[0, null]]);
    assert.deepEqual(await t.empty!.groupBy("k").agg(count("*")).collectArrays(), []);
  });
});

describe("groupBy over dictionary-encoded strings (an Arrow table)", () => {
  // The same rows as DuckDB's view below, with s dictionary-encoded and some s NULL.
  const view = "SELECT id, k, v, CASE WHEN id % 10 = 0 THEN NULL ELSE s END AS s FROM facts";
  let table: arrow.Table;
  before(async () => {
    await loadTables(new Session(), ["facts"]);
    const rows = await duckRows(`${view} ORDER BY id`);
    table = new arrow.Table({
      k: arrow.vectorFromArray(rows.map((r) => r[1] as number | null), new arrow.Int32()),
      v: arrow.vectorFromArray(rows.map((r) => r[2] as number | null), new arrow.Float64()),
      s: arrow.vectorFromArray(rows.map((r) => r[3] as string | null)),
    });
    assert.equal(table.getChild("s")!.type.typeId, arrow.Type.Dictionary);
  });

  for (const partitions of [1, 4]) {
    it(`groups by the dictionary column (${partitions} partition${partitions > 1 ? "s" : ""})`, async () => {
      const session = new Session({ "shuffle.partitions": 3 });
      const df = session.createDataFrame(table, { numPartitions: partitions });
      assertRowsEqual(await df.groupBy("s").agg(count("*"), sum("v"), min("k")).collectArrays(), await duckRows(`SELECT s, count(*), sum(v), min(k) FROM (${view}) GROUP BY s`));
      assertRowsEqual(await df.groupBy("s", "k").agg(count("*")).collectArrays(), await duckRows(`SELECT s, k, count(*) FROM (${view}) GROUP BY s, k`));
      assertRowsEqual(await df.groupBy("k").agg(min("s"), max("s"), countDistinct("s"), count("s")).collectArrays(),
        await duckRows(`SELECT k, min(s), max(s), count(DISTINCT s), count(s) FROM (${view}) GROUP BY k`));
    });
  }
});
