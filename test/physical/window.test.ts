import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { CinderError, Session, Window, col, count, denseRank, lag, max, min, rank, sum, avg } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import type { ColumnVector } from "../../src/exec/column-vector.ts";
import { utf8FromStrings } from "../../src/exec/column-vector.ts";
import { groupBounds, groupStarts } from "../../src/exec/window/boundaries.ts";
import { windowAggregate } from "../../src/exec/window/aggregates.ts";
import { INT64, FLOAT64 } from "../../src/types/data-types.ts";
import { runLocally } from "../../src/executor/local-executor.ts";
import { dataFrameFromParquet } from "../support/datasets.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

// 12000 rows: few partitions with a NULL key, an order key full of ties and NULLs, strings and doubles to slide over.
const WINDOW_DATA = `SELECT i::INTEGER AS id,
    CASE WHEN i % 23 = 0 THEN NULL ELSE (i % 7)::INTEGER END AS part,
    CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 37 % 400)::INTEGER END AS o,
    CASE WHEN i % 5 = 0 THEN NULL ELSE ((i * 7919) % 10000) / 100.0 END::DOUBLE AS x,
    ('w' || (i * 31 % 97))::VARCHAR AS s
  FROM range(12000) t(i)`;

describe("WindowExec over many batches", () => {
  const session = new Session({ "batch.size": 50, "shuffle.partitions": 4 });
  let data: DataFrame;
  before(async () => {
    const { path, bytes } = await duckToParquet("windata", WINDOW_DATA);
    await duckRun(`CREATE OR REPLACE TABLE windata AS SELECT * FROM read_parquet('${path}')`);
    data = dataFrameFromParquet(session, bytes, 3);
  });

  const byPO = Window.partitionBy("part").orderBy(col("o").descNullsFirst(), "id");
  const SQL_PO = "PARTITION BY part ORDER BY o DESC NULLS FIRST, id";
  const byPOTies = Window.partitionBy("part").orderBy(col("o").ascNullsLast());
  const SQL_PO_TIES = "PARTITION BY part ORDER BY o ASC NULLS LAST";

  it("sliding min/max of strings and doubles (monotonic deque) equal DuckDB", async () => {
    const df = data!.select(
      col("id"),
      min("s").over(byPO.rowsBetween(-7, 3)).alias("a"),
      max("x").over(byPO.rowsBetween(-20, -2)).alias("b"),
      min("x").over(byPOTies.rangeBetween(-15, 15)).alias("c"),
      max("s").over(byPOTies.rangeBetween(5, 40)).alias("d"),
    );
    const { partitions } = await runLocally(session.planPhysical(session.optimize(df.plan)), session.sources, session.conf.toJSON());
    assert.ok(partitions.flat().every((b) => b.numRows <= 50), "WindowExec emits batches of batch.size");
    assertRowsEqual(await df.collectArrays(), await duckRows(`SELECT id,
      min(s) OVER (${SQL_PO} ROWS BETWEEN 7 PRECEDING AND 3 FOLLOWING),
      max(x) OVER (${SQL_PO} ROWS BETWEEN 20 PRECEDING AND 2 PRECEDING),
      min(x) OVER (${SQL_PO_TIES} RANGE BETWEEN 15 PRECEDING AND 15 FOLLOWING),
      max(s) OVER (${SQL_PO_TIES} RANGE BETWEEN 5 FOLLOWING AND 40 FOLLOWING) FROM windata`));
  });

  it("sums, averages and counts over sliding and peer frames equal DuckDB", async () => {
    const df = data!.select(
      col("id"),
      sum("x").over(byPO.rowsBetween(-100, 100)).alias("a"),
      avg("o").over(byPOTies).alias("b"),
      count("x").over(byPOTies.rangeBetween(-3, 0)).alias("c"),
      sum("o").over(byPOTies.rangeBetween(Window.currentRow, Window.unboundedFollowing)).alias("d"),
      count("*").over(Window.partitionBy("part")).alias("e"),
    );
    assertRowsEqual(await df.collectArrays(), await duckRows(`SELECT id,
      sum(x) OVER (${SQL_PO} ROWS BETWEEN 100 PRECEDING AND 100 FOLLOWING),
      avg(o) OVER (${SQL_PO_TIES}),
      count(x) OVER (${SQL_PO_TIES} RANGE BETWEEN 3 PRECEDING AND CURRENT ROW),
      sum(o) OVER (${SQL_PO_TIES} RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING),
      count(*) OVER (PARTITION BY part) FROM windata`));
  });

  it("ranks and lag over peer groups that span input batches equal DuckDB", async () => {
    const df = data!.select(col("id"), rank().over(byPOTies).alias("r"), denseRank().over(byPOTies).alias("dr"), lag("s", 2).over(byPO).alias("l"));
    assertRowsEqual(await df.collectArrays(), await duckRows(`SELECT id, rank() OVER (${SQL_PO_TIES}), dense_rank() OVER (${SQL_PO_TIES}), lag(s, 2) OVER (${SQL_PO}) FROM windata`));
  });
});

describe("window kernels", () => {
  it("treats equal strings under different dictionary codes as peers", () => {
    const dictionary = utf8FromStrings(["a", "b", "a"]);
    const col: ColumnVector = { type: { kind: "utf8" }, length: 5, values: Int32Array.from([0, 2, 1, 1, 0]), validity: null, dictionary };
    const starts = groupStarts([col], 5);
    assert.deepEqual(Array.from(starts), [1, 0, 1, 0, 1]);
    const bounds = groupBounds(starts, 5);
    assert.deepEqual(Array.from(bounds.start), [0, 0, 2, 2, 4]);
    assert.deepEqual(Array.from(bounds.end), [2, 2, 4, 4, 5]);
  });

  it("min/max over frames that move backwards take the direct path and agree with a scan", () => {
    const n = 200;
    const values = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 101);
    const validity = Uint8Array.from({ length: n }, (_, i) => (i % 9 === 0 ? 0 : 1));
    const arg: ColumnVector = { type: FLOAT64, length: n, values, validity };
    const start = Int32Array.from({ length: n }, (_, i) => (i * 13) % n);
    const end = Int32Array.from({ length: n }, (_, i) => Math.min(n, ((i * 13) % n) + (i % 17)));
    for (const fn of ["min", "max"] as const) {
      const got = windowAggregate(fn, arg, { start, end }, FLOAT64, n);
      for (let i = 0; i < n; i++) {
        let best: number | null = null;
        for (let r = start[i]!; r < end[i]!; r++) {
          if (!validity[r]) continue;
          if (best === null || (fn === "min" ? values[r]! < best : values[r]! > best)) best = values[r]!;
        }
        const isNull = got.validity !== null && got.validity[i] === 0;
        assert.equal(isNull ? null : got.values[i], best, `${fn} at row ${i}`);
      }
    }
    const counts = windowAggregate("count", null, { start, end }, INT64, n);
    assert.deepEqual(Array.from(counts.values), Array.from(end, (e, i) => e - start[i]!));
  });

  it("sums exactly past 2^53 prefixes and fails on a frame total beyond 2^53", () => {
    const big = 2 ** 52;
    const arg: ColumnVector = { type: INT64, length: 4, values: Float64Array.from([big, big, big, 1]), validity: null };
    const single = { start: Int32Array.from([0, 1, 2, 3]), end: Int32Array.from([1, 2, 3, 4]) };
    assert.deepEqual(Array.from(windowAggregate("sum", arg, single, INT64, 4).values), [big, big, big, 1]);
    const wide = { start: Int32Array.from([0, 0, 0, 0]), end: Int32Array.from([1, 2, 3, 4]) };
    assert.throws(() => windowAggregate("sum", arg, wide, INT64, 4), (e: unknown) => CinderError.is(e) && e.code === "ARITHMETIC_OVERFLOW");
  });
});
