import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Session, col } from "../../src/index.ts";
import type { DataType } from "../../src/index.ts";
import { duckRows, duckRun, duckToParquet, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual, normalizeCinder } from "../support/compare.ts";

const normalized = (rows: unknown[][]): unknown[][] => rows.map((r) => r.map(normalizeCinder));

// Every type Cinder holds, each column with NULLs (and edge values: negatives, empty and non-ASCII strings).
const SCHEMA: Record<string, DataType> = {
  i8: { kind: "int8" }, i16: { kind: "int16" }, i32: { kind: "int32" }, i64: { kind: "int64" },
  u8: { kind: "uint8" }, u16: { kind: "uint16" }, u32: { kind: "uint32" },
  f32: { kind: "float32" }, f64: { kind: "float64" },
  dec: { kind: "decimal", precision: 12, scale: 2 }, dec0: { kind: "decimal", precision: 18, scale: 0 },
  s: { kind: "utf8" }, d: { kind: "date32" }, ts: { kind: "timestamp", timezone: null }, tsz: { kind: "timestamp", timezone: "UTC" },
  b: { kind: "boolean" },
};

function rows(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const nul = (k: number): boolean => i % k === 3;
    return {
      i8: nul(5) ? null : (i % 200) - 100, i16: nul(6) ? null : i * 7 - 3000, i32: nul(7) ? null : i * 1000003 - 2 ** 30,
      i64: nul(8) ? null : i * 2 ** 40 - 2 ** 45, u8: nul(9) ? null : i % 256, u16: nul(10) ? null : (i * 31) % 65536, u32: nul(11) ? null : (i * 2654435761) % 2 ** 32,
      f32: nul(5) ? null : i * 0.5 - 10, f64: nul(6) ? null : i / 7 - 3, dec: nul(7) ? null : (i * 37) / 100 - 50, dec0: nul(8) ? null : i * 1e9,
      s: nul(4) ? null : i % 13 === 0 ? "" : `v${i % 17}-é✓`, d: nul(9) ? null : new Date(Date.UTC(1969, 11, 20) + i * 86400000 * 3),
      ts: nul(10) ? null : new Date(Date.UTC(2001, 0, 1) + i * 3_600_000 + 1000), tsz: nul(11) ? null : new Date(Date.UTC(2024, 1, 29) + i * 61_000),
      b: nul(3) ? null : i % 2 === 0,
    };
  });
}

describe("Parquet round trips", () => {
  const session = new Session();
  const data = rows(500);
  const df = session.createDataFrame(data, { schema: SCHEMA });
  const names = Object.keys(SCHEMA);

  it("writes every type with NULLs and reads it back with Cinder", async () => {
    const bytes = await df.write.option("rowGroupSize", 128).toBytes("parquet");
    const back = await session.read.parquet(bytes);
    assert.deepEqual(back.dtypes, df.dtypes);
    assertRowsEqual(await back.collectArrays(), normalized(await df.collectArrays()), { ordered: true });
  });

  it("writes files DuckDB reads to the same values", async () => {
    const dir = join(scratchDir, "roundtrip-all-types");
    await df.write.mode("overwrite").option("rowGroupSize", 100).parquet(dir);
    const duck = await duckRows(`SELECT ${names.join(", ")} FROM read_parquet('${dir}/*.parquet')`);
    assertRowsEqual(await df.collectArrays(), duck);
    const back = await session.read.parquet(dir);
    assertRowsEqual(await back.collectArrays(), duck);
  });

  it("reads DuckDB-written types and answers queries like DuckDB", async () => {
    const sql = `SELECT i::TINYINT AS t, i::SMALLINT AS sm, (i * 1000)::INTEGER AS n, (i * 100000)::BIGINT AS big,
        ((i + 60) % 250)::UTINYINT AS ut, ((i + 60) * 3)::UINTEGER AS ui, (i / 3)::FLOAT AS fl, (i / 7)::DOUBLE AS db,
        (i / 8)::DECIMAL(9,3) AS d9, (i * 12345.67)::DECIMAL(18,2) AS d18, ('k' || (i % 9))::VARCHAR AS s,
        DATE '1999-12-30' + i::INTEGER AS d, TIMESTAMP '2020-02-28 23:00:00' + INTERVAL (i) MINUTE AS ts,
        TIMESTAMPTZ '2020-02-28 23:00:00+00' + INTERVAL (i) HOUR AS tsz, i % 3 = 0 AS flag
      FROM range(-60, 60) r(i)`;
    const withNulls = `SELECT ${["t", "sm", "n", "big", "ut", "ui", "fl", "db", "d9", "d18", "s", "d", "ts", "tsz", "flag"].map((c, k) => `CASE WHEN (t + 60) % ${k + 3} = 1 THEN NULL ELSE ${c} END AS ${c}`).join(", ")} FROM (${sql})`;
    const { path } = await duckToParquet("duck-types", `${withNulls}`);
    const t = await session.read.parquet(path);
    assert.deepEqual(t.dtypes.map(([, ty]) => ty), ["int8", "int16", "int32", "int64", "uint8", "uint32", "float32", "float64", "decimal(9,3)", "decimal(18,2)", "string", "date", "timestamp", "timestamp[UTC]", "boolean"]);
    assertRowsEqual(await t.collectArrays(), await duckRows(`SELECT * FROM read_parquet('${path}')`));
    t.createOrReplaceTempView("duck_types");
    const rowsCinder = await t.filter(col("n").gt(5000)).select("s", "d18", "d").collectArrays();
    assertRowsEqual(rowsCinder, await duckRows(`SELECT s, d18, d FROM read_parquet('${path}') WHERE n > 5000`));
  });

  it("reads a Hive-partitioned directory like DuckDB's hive_partitioning", async () => {
    const dir = join(scratchDir, "hive");
    await duckRun(`COPY (SELECT i AS id, i % 3 AS part, ('p' || (i % 2)) AS tag, i * 0.5 AS v FROM range(300) r(i)) TO '${dir}' (FORMAT parquet, PARTITION_BY (part, tag), OVERWRITE_OR_IGNORE)`);
    const t = await session.read.parquet(dir);
    assert.deepEqual(t.columns, ["id", "v", "part", "tag"]);
    assert.deepEqual(t.dtypes.slice(2), [["part", "int64"], ["tag", "string"]]);
    const expected = await duckRows(`SELECT id, v, part, tag FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true)`);
    assertRowsEqual(await t.collectArrays(), expected);
    assertRowsEqual(await t.filter(col("part").eq(2)).select("id", "tag").collectArrays(),
      await duckRows(`SELECT id, tag FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true) WHERE part = 2`));
    const glob = await session.read.parquet(`${dir}/part=1/*/*.parquet`);
    assert.equal(await glob.count(), 100);
  });

  it("writes partitionBy directories and modes like Spark", async () => {
    const dir = join(scratchDir, "partitioned-out");
    const src = session.createDataFrame(Array.from({ length: 60 }, (_, i) => ({ k: i % 3 === 0 ? null : `g${i % 3}`, v: i })), { schema: { k: "string", v: "bigint" } });
    await src.write.mode("overwrite").partitionBy("k").parquet(dir);
    await assert.rejects(src.write.parquet(dir), (e: unknown) => (e as { code?: string }).code === "IO_ERROR" && /already exists/.test((e as Error).message));
    await src.write.mode("append").partitionBy("k").parquet(dir);
    const back = await session.read.parquet(dir);
    assert.deepEqual(back.columns, ["v", "k"]);
    assert.equal(await back.count(), 120);
    assertRowsEqual(await back.groupBy("k").count().collectArrays(), [["g1", 40], ["g2", 40], [null, 40]]);
    const duck = await duckRows(`SELECT k, count(*) FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true) GROUP BY k`);
    assertRowsEqual(duck.map((r) => [r[0] === "__HIVE_DEFAULT_PARTITION__" ? null : r[0], r[1]]), [["g1", 40], ["g2", 40], [null, 40]]);
    await src.write.mode("ignore").parquet(dir);
    assert.equal(await (await session.read.parquet(dir)).count(), 120);
  });

  it("writes CSV and Arrow files that DuckDB reads", async () => {
    const small = session.createDataFrame([{ a: 1, s: "x,y", d: "2020-01-02" }, { a: null, s: "q\"uote", d: null }, { a: 3, s: "", d: "1999-12-31" }], { schema: { a: "int", s: "string", d: "date" } });
    const dir = join(scratchDir, "csv-out");
    const [file] = await small.write.mode("overwrite").csv(dir);
    assertRowsEqual(await small.collectArrays(), await duckRows(`SELECT a, s, d FROM read_csv('${file}', header = true, allow_quoted_nulls = false, columns = {'a': 'INTEGER', 's': 'VARCHAR', 'd': 'DATE'})`));
    const arrowBytes = await small.write.toBytes("arrow");
    mkdirSync(join(scratchDir, "arrow-out"), { recursive: true });
    writeFileSync(join(scratchDir, "arrow-out", "x.arrow"), arrowBytes);
    const { tableFromIPC } = await import("apache-arrow");
    assert.equal(tableFromIPC(arrowBytes).numRows, 3);
  });
});
