import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, Window, col, lit, rowNumber, rank, denseRank, lag, lead, sum, avg, min, max, count } from "../../src/index.ts";
import type { Column, DataFrame, WindowSpec } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const U = Window.unboundedPreceding, F = Window.unboundedFollowing, C = Window.currentRow;

interface Case { name: string; cinder: Column; sql: string }

// Cinder's asc() is NULLS FIRST and desc() NULLS LAST (Spark); DuckDB's SQL spells the NULL order out.
const byGK = Window.partitionBy("g").orderBy("k");
const byGKId = Window.partitionBy("g").orderBy("k", "id");
const byKId = Window.partitionBy("k").orderBy(col("v").desc(), "id");
const W_GK = "PARTITION BY g ORDER BY k ASC NULLS FIRST";
const W_GKID = "PARTITION BY g ORDER BY k ASC NULLS FIRST, id";
const W_KID = "PARTITION BY k ORDER BY v DESC NULLS LAST, id";

function over(fn: Column, w: WindowSpec): Column { return fn.over(w); }

const CASES: Case[] = [
  // Ranking: ties and NULLs in the order key.
  { name: "row_number", cinder: over(rowNumber(), byGKId), sql: `row_number() OVER (${W_GKID})` },
  { name: "rank with ties", cinder: over(rank(), byGK), sql: `rank() OVER (${W_GK})` },
  { name: "dense_rank with ties", cinder: over(denseRank(), byGK), sql: `dense_rank() OVER (${W_GK})` },
  { name: "rank desc over NULL partition keys", cinder: over(rank(), Window.partitionBy("k").orderBy(col("v").desc())), sql: "rank() OVER (PARTITION BY k ORDER BY v DESC NULLS LAST)" },
  { name: "dense_rank over a string key", cinder: over(denseRank(), Window.partitionBy("g").orderBy(col("s").desc())), sql: "dense_rank() OVER (PARTITION BY g ORDER BY s DESC NULLS LAST)" },
  { name: "row_number without partitions", cinder: over(rowNumber(), Window.orderBy(col("d").desc(), "id")), sql: "row_number() OVER (ORDER BY d DESC, id)" },
  // lag / lead.
  { name: "lag", cinder: over(lag("v"), byGKId), sql: `lag(v) OVER (${W_GKID})` },
  { name: "lag 3 with default", cinder: over(lag("k", 3, lit(-1)), byKId), sql: `lag(k, 3, -1) OVER (${W_KID})` },
  { name: "lead 2", cinder: over(lead("s", 2), byGKId), sql: `lead(s, 2) OVER (${W_GKID})` },
  { name: "lead with default", cinder: over(lead("v", 1, lit(0.5)), byKId), sql: `lead(v, 1, 0.5) OVER (${W_KID})` },
  { name: "lead of a date", cinder: over(lead("d"), byGKId), sql: `lead(d) OVER (${W_GKID})` },
  // Default frames: RANGE UNBOUNDED PRECEDING .. CURRENT ROW (peers included) and the whole partition.
  { name: "running sum (default frame, peers)", cinder: over(sum("k"), byGK), sql: `sum(k) OVER (${W_GK})` },
  { name: "running count(*)", cinder: over(count("*"), byGK), sql: `count(*) OVER (${W_GK})` },
  { name: "running min of strings", cinder: over(min("s"), byGK), sql: `min(s) OVER (${W_GK})` },
  { name: "partition total", cinder: over(sum("v"), Window.partitionBy("k")), sql: "sum(v) OVER (PARTITION BY k)" },
  { name: "partition avg of decimals", cinder: over(avg("p"), Window.partitionBy("g")), sql: "avg(p) OVER (PARTITION BY g)" },
  { name: "partition max of dates", cinder: over(max("d"), Window.partitionBy("k")), sql: "max(d) OVER (PARTITION BY k)" },
  // ROWS frames.
  { name: "sum rows -2..1", cinder: over(sum("v"), byGKId.rowsBetween(-2, 1)), sql: `sum(v) OVER (${W_GKID} ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)` },
  { name: "avg rows -3..-1", cinder: over(avg("k"), byGKId.rowsBetween(-3, -1)), sql: `avg(k) OVER (${W_GKID} ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)` },
  { name: "count rows 1..3", cinder: over(count("v"), byGKId.rowsBetween(1, 3)), sql: `count(v) OVER (${W_GKID} ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING)` },
  { name: "min rows current..unbounded", cinder: over(min("v"), byKId.rowsBetween(C, F)), sql: `min(v) OVER (${W_KID} ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)` },
  { name: "max rows unbounded..current", cinder: over(max("p"), byKId.rowsBetween(U, C)), sql: `max(p) OVER (${W_KID} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)` },
  { name: "max rows -5..5 of strings", cinder: over(max("s"), byGKId.rowsBetween(-5, 5)), sql: `max(s) OVER (${W_GKID} ROWS BETWEEN 5 PRECEDING AND 5 FOLLOWING)` },
  { name: "sum decimal rows -1..1", cinder: over(sum("p"), byGKId.rowsBetween(-1, 1)), sql: `sum(p) OVER (${W_GKID} ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)` },
  { name: "count(*) rows -4..0", cinder: over(count("*"), byKId.rowsBetween(-4, C)), sql: `count(*) OVER (${W_KID} ROWS BETWEEN 4 PRECEDING AND CURRENT ROW)` },
  { name: "empty rows frame 3..1", cinder: over(sum("k"), byGKId.rowsBetween(3, 1)), sql: `sum(k) OVER (${W_GKID} ROWS BETWEEN 3 FOLLOWING AND 1 FOLLOWING)` },
  // RANGE frames: peers, and offsets on int, double, date and decimal keys (asc and desc, NULL keys).
  { name: "range current..unbounded", cinder: over(sum("v"), byGK.rangeBetween(C, F)), sql: `sum(v) OVER (${W_GK} RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)` },
  { name: "range -2..2 on int", cinder: over(sum("id"), byGK.rangeBetween(-2, 2)), sql: `sum(id) OVER (${W_GK} RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING)` },
  { name: "range -3..-1 on int desc", cinder: over(count("*"), Window.partitionBy("g").orderBy(col("k").desc()).rangeBetween(-3, -1)), sql: "count(*) OVER (PARTITION BY g ORDER BY k DESC NULLS LAST RANGE BETWEEN 3 PRECEDING AND 1 PRECEDING)" },
  { name: "range -10..5 on double desc nulls first", cinder: over(max("id"), Window.partitionBy("g").orderBy(col("v").descNullsFirst()).rangeBetween(-10, 5)), sql: "max(id) OVER (PARTITION BY g ORDER BY v DESC NULLS FIRST RANGE BETWEEN 10 PRECEDING AND 5 FOLLOWING)" },
  { name: "range unbounded..2.5 on double", cinder: over(avg("k"), Window.partitionBy("g").orderBy(col("v").ascNullsLast()).rangeBetween(U, 2.5)), sql: "avg(k) OVER (PARTITION BY g ORDER BY v ASC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND 2.5 FOLLOWING)" },
  { name: "range -30..0 on dates", cinder: over(count("v"), Window.partitionBy("k").orderBy("d").rangeBetween(-30, C)), sql: "count(v) OVER (PARTITION BY k ORDER BY d ASC NULLS FIRST RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW)" },
  { name: "range -2..2 on decimals", cinder: over(min("v"), Window.orderBy("p").rangeBetween(-2, 2)), sql: "min(v) OVER (ORDER BY p ASC NULLS FIRST RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING)" },
  { name: "range 1..unbounded on int", cinder: over(sum("v"), Window.partitionBy("g").orderBy("k").rangeBetween(1, F)), sql: "sum(v) OVER (PARTITION BY g ORDER BY k ASC NULLS FIRST RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)" },
];

function windowTests(label: string, session: Session, partitions: number): void {
  describe(label, () => {
    let facts: DataFrame;
    before(async () => { ({ facts } = await loadTables(session, ["facts"], partitions)) as { facts: DataFrame }; });

    for (const c of CASES) {
      it(`${c.name} equals DuckDB`, async () => {
        const rows = await facts!.select(col("id"), c.cinder.alias("w")).collectArrays();
        assertRowsEqual(rows, await duckRows(`SELECT id, ${c.sql} FROM facts`), { message: c.name });
      });
    }

    it("computes several windows with different specs in one select", async () => {
      const rows = await facts!.select(
        col("id"), col("k"),
        rowNumber().over(byGKId).alias("rn"),
        sum("v").over(byKId.rowsBetween(-1, 1)).alias("s3"),
        rank().over(Window.orderBy(col("s").desc())).alias("r"),
      ).collectArrays();
      assertRowsEqual(rows, await duckRows(`SELECT id, k, row_number() OVER (${W_GKID}), sum(v) OVER (${W_KID} ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), rank() OVER (ORDER BY s DESC) FROM facts`));
    });

    it("orders the windowed result like DuckDB", async () => {
      const rows = await facts!.withColumn("r", denseRank().over(byGK)).orderBy(col("r").desc(), "id").select("id", "g", "k", "r").limit(50).collectArrays();
      assertRowsEqual(rows, await duckRows(`SELECT id, g, k, dense_rank() OVER (${W_GK}) AS r FROM facts ORDER BY r DESC, id LIMIT 50`), { ordered: true });
    });
  });
}

describe("window functions", () => {
  windowTests("single partition", new Session(), 1);
  windowTests("four input partitions", new Session({ "shuffle.partitions": 3 }), 4);

  it("handles empty and single-row inputs", async () => {
    const session = new Session({ "shuffle.partitions": 2 });
    const { empty, single } = await loadTables(session, ["empty", "single"], 2);
    const w = Window.partitionBy("s").orderBy("k");
    assert.deepEqual(await empty!.select(col("k"), rowNumber().over(w).alias("rn"), sum("v").over(w.rowsBetween(-1, 1)).alias("t")).collectArrays(), []);
    const rows = await single!.select(col("k"), rowNumber().over(w), lag("v").over(w), sum("v").over(w.rangeBetween(-1, 1)), count("*").over(w)).collectArrays();
    assertRowsEqual(rows, await duckRows("SELECT k, 1, NULL, v, 1 FROM single"));
  });
});
