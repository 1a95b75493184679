// The Parquet scan's fast paths for 64-bit integers, decimals (INT32/INT64-backed and 128-bit)
// and timestamps in every unit: exact values up to ±2^53 against DuckDB, and a typed overflow
// error naming the column and the exact value when a value is beyond, found after many rows
// were already converted in place (the conversion is undone and the careful path reports it).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, CinderError, col } from "../../src/index.ts";
import { duckRows, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const ROWS = 150_000;

describe("Parquet wide values", () => {
  it("reads bigint, decimals and timestamps of every unit exactly, like DuckDB", async () => {
    const { path } = await duckToParquet("wide-values", `
      SELECT i AS id,
        CASE WHEN i % 11 = 0 THEN NULL ELSE [9007199254740991, -9007199254740992, -1, 0, 123456789012345, -4503599627370497][i % 6 + 1] END::BIGINT AS big,
        CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 9876543.21 - 5e11)::DECIMAL(18,2) END AS d18,
        CASE WHEN i % 5 = 0 THEN NULL ELSE (i - 70000)::DECIMAL(9,3) / 8 END::DECIMAL(9,3) AS d9,
        CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 123456789.01 - 9e12)::DECIMAL(38,2) END AS d38,
        (TIMESTAMP '1960-01-01 00:00:00' + INTERVAL (i * 977) SECOND)::TIMESTAMP_S AS ts_s,
        (TIMESTAMP '2001-09-09 01:46:40' + INTERVAL (i * 1234567) MILLISECOND)::TIMESTAMP_MS AS ts_ms,
        TIMESTAMP '1999-12-31 23:59:59' + INTERVAL (i * 1000003) MICROSECOND AS ts_us,
        CASE WHEN i % 4 = 0 THEN NULL ELSE (TIMESTAMP '2030-01-01' - INTERVAL (i) MINUTE)::TIMESTAMP_NS END AS ts_ns
      FROM range(${ROWS}) t(i)`);
    const session = new Session();
    const df = await session.read.parquet(path);
    assert.deepEqual(df.dtypes.map(([, t]) => t), ["int64", "int64", "decimal(18,2)", "decimal(9,3)", "decimal(38,2)", "timestamp", "timestamp", "timestamp", "timestamp"]);
    assertRowsEqual(await df.collectArrays(), await duckRows(`SELECT * FROM read_parquet('${path}')`), { ordered: true });
    // Aggregates over the converted columns, and a projection that names a column twice.
    assertRowsEqual(await df.groupBy().agg({ big: "min", d18: "max", d9: "max", ts_ns: "min" }).collectArrays(),
      await duckRows(`SELECT min(big), max(d18), max(d9), min(ts_ns) FROM read_parquet('${path}')`));
    assertRowsEqual(await df.filter(col("id").lt(40)).select("d18", "d18", "ts_ms").collectArrays(),
      await duckRows(`SELECT d18, d18, ts_ms FROM read_parquet('${path}') WHERE id < 40`), { ordered: true });
  });

  it("raises a typed overflow error for a value beyond ±2^53 found late in a row group, and keeps working", async () => {
    const { path } = await duckToParquet("wide-overflow", `
      SELECT i AS id, CASE WHEN i = ${ROWS - 17} THEN 1152921504606846976 ELSE i * 1000 END::BIGINT AS big,
        CASE WHEN i = ${ROWS - 3} THEN 1e30 ELSE i END::DECIMAL(38,0) AS huge
      FROM range(${ROWS}) t(i)`);
    const session = new Session();
    const df = await session.read.parquet(path);
    // (The decimal's message gives only its low 64 bits; the code and the column are what matter there.)
    for (const [column, value] of [["big", "1152921504606846976"], ["huge", null]] as const) {
      await assert.rejects(df.select(column).collectArrays(), (e: unknown) => {
        assert.ok(CinderError.is(e), String(e));
        assert.equal(e.code, "ARITHMETIC_OVERFLOW");
        assert.equal(e.details.column, column);
        if (value !== null) assert.equal(e.details.value, value);
        return true;
      });
    }
    // The other columns still read, and the session keeps working.
    assertRowsEqual(await df.groupBy().agg({ id: "max" }).collectArrays(), [[ROWS - 1]]);
    assert.equal(await df.count(), ROWS);
  });
});
