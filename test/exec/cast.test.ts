import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, lit, when } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { expectError, expectSame, loadSql, dictionaryFrame } from "./expression-support.ts";

describe("CAST kernels against DuckDB", () => {
  const session = new Session();
  let facts: DataFrame, nums: DataFrame, texts: DataFrame, times: DataFrame;
  before(async () => {
    ({ facts } = (await loadTables(session, ["facts"])) as { facts: DataFrame });
    nums = await loadSql(session, "cast_nums", `SELECT * FROM (VALUES
      (2.5::DOUBLE, 1.25::DECIMAL(6,2), 7::TINYINT, 1::BIGINT),
      (3.5, -1.25, -7, 9007199254740992),
      (-2.5, 9999.99, 127, -9007199254740992),
      (2.675, 0.05, 0, 0),
      (1e16, -0.05, NULL, NULL),
      (1e-5, NULL, 1, 5),
      (0.1, 12.30, -128, 123),
      (-0.0, 0.5, 3, 42),
      (123456789.0, -2.5, 4, -42),
      (1.7976931348623157e308, 1.5, 5, 10),
      (NULL, 100.00, 6, 11)) t(dbl, dec, tiny, big)`);
    texts = await loadSql(session, "cast_texts", `SELECT * FROM (VALUES
      (' 12 ', '1.5', '2024-01-05', '2024-01-05 10:11:12.123456', 'true', '-1.995'),
      ('+3', '1e3', '2024-1-5', '2024-01-05T10:11:12', 'F', '1.25'),
      ('-2147483648', ' .5 ', '2024-02-29', '2024-01-05', 'yes', '0.005'),
      ('2.5', '-inf', '1969-12-31 23:00:00', '1969-12-31 23:59:59.5', '0', '99.994'),
      ('1e2', 'NaN', '0001-01-01', '2000-02-29 00:00', 'n', '-.5'),
      (NULL, NULL, NULL, NULL, NULL, NULL)) t(i, f, d, ts, b, dec)`);
    times = await loadSql(session, "cast_times", `SELECT * FROM (VALUES
      (TIMESTAMP '2024-01-05 10:11:12.000123', DATE '2024-01-05'),
      (TIMESTAMP '1969-12-31 23:59:59.9', DATE '1969-12-31'),
      (TIMESTAMP '2024-02-29 00:00:00', DATE '0001-01-01'),
      (NULL, NULL)) t(ts, d)`);
  });

  it("casts between numeric types like DuckDB (float -> int rounds half to even, decimals half away from zero)", async () => {
    await expectSame(
      facts.select(col("k").cast("bigint"), col("k").cast("double"), col("v").cast("int"), col("v").cast("decimal(10,1)"), col("v").cast("float"),
        col("p").cast("int"), col("p").cast("decimal(10,1)"), col("p").cast("decimal(20,4)"), col("p").cast("double"), col("g").cast("decimal(5,2)"), col("g").cast("tinyint")),
      `SELECT CAST(k AS BIGINT), CAST(k AS DOUBLE), CAST(v AS INTEGER), CAST(v AS DECIMAL(10,1)), CAST(v AS FLOAT),
         CAST(p AS INTEGER), CAST(p AS DECIMAL(10,1)), CAST(p AS DECIMAL(20,4)), CAST(p AS DOUBLE), CAST(g AS DECIMAL(5,2)), CAST(g AS TINYINT) FROM facts`);
    await expectSame(
      nums.filter(col("dbl").isNull().or(col("dbl").lt(1e9))).select(col("dbl").cast("int"), col("dbl").cast("decimal(12,2)"), col("dec").cast("int"), col("dec").cast("decimal(6,1)"),
        col("dec").cast("double"), col("tiny").cast("decimal(3,0)"), col("big").cast("double"), col("tiny").cast("smallint")),
      `SELECT CAST(dbl AS INTEGER), CAST(dbl AS DECIMAL(12,2)), CAST(dec AS INTEGER), CAST(dec AS DECIMAL(6,1)), CAST(dec AS DOUBLE),
         CAST(tiny AS DECIMAL(3,0)), CAST(big AS DOUBLE), CAST(tiny AS SMALLINT) FROM cast_nums WHERE dbl IS NULL OR dbl < 1e9`);
  });

  it("formats numbers, dates and timestamps as text the way DuckDB prints them", async () => {
    await expectSame(facts.select(col("id").cast("string"), col("v").cast("string"), col("p").cast("string"), col("d").cast("string"), col("k").cast("string"), col("g").cast("string")),
      "SELECT CAST(id AS VARCHAR), CAST(v AS VARCHAR), CAST(p AS VARCHAR), CAST(d AS VARCHAR), CAST(k AS VARCHAR), CAST(g AS VARCHAR) FROM facts");
    await expectSame(nums.filter(col("dbl").isNull().or(col("dbl").lt(1e38))).select(col("dbl").cast("string"), col("dec").cast("string"), col("tiny").cast("string"), col("big").cast("string"), col("dbl").cast("float").cast("string")),
      "SELECT CAST(dbl AS VARCHAR), CAST(dec AS VARCHAR), CAST(tiny AS VARCHAR), CAST(big AS VARCHAR), CAST(CAST(dbl AS FLOAT) AS VARCHAR) FROM cast_nums WHERE dbl IS NULL OR dbl < 1e38");
    await expectSame(times.select(col("ts").cast("string"), col("d").cast("string")), "SELECT CAST(ts AS VARCHAR), CAST(d AS VARCHAR) FROM cast_times");
    await expectSame(facts.select(col("v").gt(50).cast("string")), "SELECT CAST(v > 50 AS VARCHAR) FROM facts");
  });

  it("parses text into numbers, decimals, dates, timestamps and booleans like DuckDB", async () => {
    await expectSame(texts.select(col("i").cast("int"), col("i").cast("bigint"), col("f").cast("double"), col("d").cast("date"), col("ts").cast("timestamp").cast("string"),
      col("b").cast("boolean"), col("dec").cast("decimal(6,2)"), col("i").cast("decimal(12,1)")),
      `SELECT CAST(i AS INTEGER), CAST(i AS BIGINT), CAST(f AS DOUBLE), CAST(d AS DATE), CAST(CAST(ts AS TIMESTAMP) AS VARCHAR),
         CAST(b AS BOOLEAN), CAST(dec AS DECIMAL(6,2)), CAST(i AS DECIMAL(12,1)) FROM cast_texts`);
    // Round trip through text keeps every value.
    await expectSame(facts.select(col("v").cast("string").cast("double"), col("p").cast("string").cast("decimal(12,2)"), col("d").cast("string").cast("date")),
      "SELECT v, p, d FROM facts");
  });

  it("parses dictionary-encoded strings once per entry", async () => {
    const df = dictionaryFrame(session, ["1", "22", null, "1", "333", "22"]);
    const rows = await df.select(col("s").cast("int"), col("s").cast("decimal(5,1)")).collectArrays();
    assert.deepEqual(rows, [[1, 1], [22, 22], [null, null], [1, 1], [333, 333], [22, 22]]);
  });

  it("casts between dates and timestamps and between booleans and numbers", async () => {
    await expectSame(times.select(col("ts").cast("date"), col("d").cast("timestamp").cast("string")),
      "SELECT CAST(ts AS DATE), CAST(CAST(d AS TIMESTAMP) AS VARCHAR) FROM cast_times");
    await expectSame(facts.select(col("v").gt(50).cast("int"), col("g").cast("boolean"), col("p").cast("boolean"), col("v").gt(50).cast("decimal(4,2)"), col("v").cast("boolean")),
      "SELECT CAST(v > 50 AS INTEGER), CAST(g AS BOOLEAN), CAST(p AS BOOLEAN), CAST(v > 50 AS DECIMAL(4,2)), CAST(v AS BOOLEAN) FROM facts");
    await expectSame(facts.select(lit(null).cast("int"), col("d").cast("date")), "SELECT CAST(NULL AS INTEGER), d FROM facts");
  });

  it("rejects invalid text with CAST_INVALID_INPUT naming the value and the type", async () => {
    const bad = session.createDataFrame([{ s: "12" }, { s: "abc" }], { schema: { s: "string" } });
    await expectError(() => bad.select(col("s").cast("int")), "CAST_INVALID_INPUT", /'abc'.*int/);
    await expectError(() => bad.select(col("s").cast("double")), "CAST_INVALID_INPUT", /'abc'.*(float64|double)/);
    await expectError(() => bad.select(col("s").cast("decimal(5,2)")), "CAST_INVALID_INPUT", /decimal\(5,2\)/);
    await expectError(() => bad.select(col("s").cast("date")), "CAST_INVALID_INPUT", /'12'.*date/);
    await expectError(() => bad.select(col("s").cast("timestamp")), "CAST_INVALID_INPUT", /timestamp/);
    await expectError(() => bad.select(col("s").cast("boolean")), "CAST_INVALID_INPUT", /boolean/);
    await expectError(() => bad.select(lit("2024-02-30").cast("date")), "CAST_INVALID_INPUT", /2024-02-30/);
    await expectError(() => bad.select(lit("2147483648").cast("int")), "CAST_INVALID_INPUT", /2147483648/);
    await expectError(() => bad.select(lit("").cast("int")), "CAST_INVALID_INPUT");
    // Only rows that are kept are parsed: the bad value filtered away does not fail the query.
    assert.deepEqual(await bad.filter(col("s").notEq("abc")).select(col("s").cast("int")).collectArrays(), [[12]]);
  });

  it("does not fail on a dictionary entry no row uses", async () => {
    const df = facts.filter(col("k").gt(0)).select(when(col("k").gt(0), lit("5")).otherwise(lit("not a number")).cast("int").alias("x"));
    const rows = await df.collectArrays();
    assert.ok(rows.length > 0 && rows.every((r) => r[0] === 5));
  });

  it("raises ARITHMETIC_OVERFLOW when a number does not fit", async () => {
    await expectError(() => facts.select(col("v").multiply(1e10).cast("int")), "ARITHMETIC_OVERFLOW", /out of range/);
    await expectError(() => facts.select(col("id").cast("tinyint")), "ARITHMETIC_OVERFLOW", /tinyint|int8/);
    await expectError(() => facts.select(col("p").cast("decimal(3,2)")), "ARITHMETIC_OVERFLOW", /decimal\(3,2\)/);
    await expectError(() => nums.select(col("dbl").cast("float")), "ARITHMETIC_OVERFLOW");
    await expectError(() => facts.select(lit(Number.NaN).cast("int")), "ARITHMETIC_OVERFLOW", /NaN/);
  });

  it("TRY_CAST gives NULL exactly where CAST would fail, as DuckDB's TRY_CAST does", async () => {
    await expectSame(texts.select(col("i").tryCast("int"), col("i").tryCast("tinyint"), col("f").tryCast("double"), col("d").tryCast("date"),
      col("ts").tryCast("timestamp").cast("string"), col("b").tryCast("boolean"), col("dec").tryCast("decimal(3,2)"), col("f").tryCast("int")),
      `SELECT TRY_CAST(i AS INTEGER), TRY_CAST(i AS TINYINT), TRY_CAST(f AS DOUBLE), TRY_CAST(d AS DATE), CAST(TRY_CAST(ts AS TIMESTAMP) AS VARCHAR),
         TRY_CAST(b AS BOOLEAN), TRY_CAST(dec AS DECIMAL(3,2)), TRY_CAST(f AS INTEGER) FROM cast_texts`);
    await expectSame(nums.select(col("dbl").tryCast("int"), col("dbl").tryCast("float"), col("dec").tryCast("decimal(3,2)"), col("big").tryCast("tinyint"), col("tiny").tryCast("smallint")),
      "SELECT TRY_CAST(dbl AS INTEGER), TRY_CAST(dbl AS FLOAT), TRY_CAST(dec AS DECIMAL(3,2)), TRY_CAST(big AS TINYINT), TRY_CAST(tiny AS SMALLINT) FROM cast_nums");
    const df = dictionaryFrame(session, ["1", "x", null, "1", "2.5", "x"]);
    assert.deepEqual(await df.select(col("s").tryCast("int")).collectArrays(), [[1], [null], [null], [1], [3], [null]]);
    assert.deepEqual(await session.sql("SELECT TRY_CAST('abc' AS INT), try_cast('12' AS INT), TRY_CAST(300 AS TINYINT)").collectArrays(), [[null, 12, null]]);
  });

  it("with ansi.enabled off every CAST gives NULL where it would fail; TRY_CAST and arithmetic overflow do not change", async () => {
    const lenient = new Session({ "ansi.enabled": 0 });
    const t = lenient.createDataFrame([{ s: "12" }, { s: "abc" }, { s: null }], { schema: { s: "string" } });
    t.createOrReplaceTempView("t");
    assert.deepEqual(await lenient.sql("SELECT CAST(s AS INT), CAST(s AS DATE), TRY_CAST(s AS INT) FROM t").collectArrays(), [[12, null, 12], [null, null, null], [null, null, null]]);
    // Folded at plan time, the same rule.
    assert.deepEqual(await lenient.sql("SELECT CAST('abc' AS INT), CAST(300 AS TINYINT)").collectArrays(), [[null, null]]);
    await expectError(() => lenient.sql("SELECT 2147483647 + 1"), "ARITHMETIC_OVERFLOW");
    // The switch is read when a query runs, as Spark reads spark.sql.ansi.enabled.
    lenient.conf.set("ansi.enabled", "true");
    await expectError(() => lenient.sql("SELECT CAST(s AS INT) FROM t"), "CAST_INVALID_INPUT", /'abc'/);
    assert.match(lenient.sql("SELECT TRY_CAST(s AS INT) FROM t").explain(), /TRY_CAST\(s/);
  });

  it("rejects casts that do not exist at analysis time", async () => {
    await expectError(() => facts.select(col("d").cast("int")), "DATATYPE_MISMATCH", /cannot cast date to int/);
    await expectError(() => facts.select(col("v").cast("date")), "DATATYPE_MISMATCH");
    await expectError(() => facts.select(col("v").cast("varchar2")), "WRONG_ARGUMENT", /unknown type/);
  });
});
