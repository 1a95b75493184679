import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, lit } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { abs, ceil, floor, pow, round, sqrt } from "../../src/api/functions.ts";
import { call } from "../../src/api/column.ts";
import { loadTables } from "../support/datasets.ts";
import { expectError, expectSame, loadSql } from "./expression-support.ts";

const fn = (name: string, ...args: (ReturnType<typeof col>)[]) => call(name, ...args);

describe("math functions against DuckDB", () => {
  const session = new Session();
  let facts: DataFrame, nums: DataFrame;
  before(async () => {
    ({ facts } = (await loadTables(session, ["facts"])) as { facts: DataFrame });
    nums = await loadSql(session, "math_nums", `SELECT * FROM (VALUES
      (1, 2.5::DOUBLE, 2.345::DECIMAL(6,3), 125::INTEGER, -7::TINYINT),
      (2, -2.5, -2.345, -125, 7),
      (3, 0.125, 15.5, 0, 0),
      (4, 1.005, -0.005, 2147483, -128),
      (5, 1234.5, 0.000, -5, 127),
      (6, -0.04, 99.999, 15, NULL),
      (7, NULL, NULL, NULL, 1),
      (8, 1e300, 1.5, 149, -1)) t(i, x, dec, n, tiny)`);
  });

  it("abs keeps the type and NULLs", async () => {
    await expectSame(facts.select("id", abs(col("v").minus(50)), abs(col("k").minus(11)), abs(col("p").minus(30)), abs("g")),
      "SELECT id, abs(v - 50), abs(k - 11), abs(p - 30), abs(g) FROM facts");
    await expectSame(nums.filter(col("tiny").notEq(-128)).select("i", abs("x"), abs("dec"), abs("n"), abs("tiny")), "SELECT i, abs(x), abs(dec), abs(n), abs(tiny) FROM math_nums WHERE tiny <> -128");
  });

  it("round rounds half away from zero: doubles on x * 10^d, decimals and integers exactly", async () => {
    await expectSame(nums.select("i", round("x"), round("x", 2), round("x", -2), round("dec"), round("dec", 2), round("dec", -1), round("n", -1), round("n", 1)),
      "SELECT i, round(x), round(x, 2), round(x, -2), round(dec), round(dec, 2), round(dec, -1), round(n, -1), round(n, 1) FROM math_nums");
    await expectSame(nums.filter(col("tiny").between(-100, 100)).select("i", round("tiny", -1)), "SELECT i, round(tiny, -1) FROM math_nums WHERE tiny BETWEEN -100 AND 100");
    await expectSame(facts.select("id", round("v", 1), round("p", 1), round("p"), round(col("v").divide(3), 3)),
      "SELECT id, round(v, 1), round(p, 1), round(p), round(v / 3, 3) FROM facts");
  });

  it("floor and ceil on doubles (to bigint, as in Spark), decimals (to scale 0) and integers", async () => {
    const small = col("x").isNull().or(fn("abs", col("x")).lt(1e15));
    await expectSame(nums.filter(small).select("i", floor("x"), ceil("x"), floor("dec"), ceil("dec"), floor("n"), ceil("tiny")),
      "SELECT i, floor(x), ceil(x), floor(dec), ceil(dec), floor(n), ceil(tiny) FROM math_nums WHERE x IS NULL OR abs(x) < 1e15");
    // A bigint holds ±2^53 exactly; beyond it (and NaN, ±Infinity) floor fails rather than round.
    await expectError(() => nums.select(floor("x")), "ARITHMETIC_OVERFLOW", /floor\(.*\) (overflows int64|has no int64 value); filter out NaN, infinite and huge values/);
    await expectError(() => nums.select(floor(lit(Number.NaN))), "ARITHMETIC_OVERFLOW", /^floor\(NaN\) has no int64 value; filter out NaN/);
    await expectSame(facts.select("id", floor("p"), ceil("p"), floor(col("v").negate()), ceil("v")), "SELECT id, floor(p), ceil(p), floor(-v), ceil(v) FROM facts");
  });

  it("sqrt, exp, ln, log10 and pow match DuckDB on valid input", async () => {
    await expectSame(facts.select("id", sqrt("v"), fn("exp", col("v").divide(100)), fn("ln", col("v").plus(1)), fn("log10", col("p").plus(1)), pow("v", 2), pow(col("k"), 0.5), pow(col("v"), col("g"))),
      "SELECT id, sqrt(v), exp(v / 100), ln(v + 1), log10(p + 1), pow(v, 2), pow(k, 0.5), pow(v, g) FROM facts");
  });

  it("follows DuckDB on domain errors: sqrt of a negative and log of zero or less fail; overflow to infinity does not", async () => {
    await expectError(() => nums.select(sqrt("x")), "ARITHMETIC_OVERFLOW", /sqrt\(-2\.5\).*square root of a negative/);
    await expectError(() => nums.select(fn("ln", col("n"))), "ARITHMETIC_OVERFLOW", /logarithm of a negative/);
    await expectError(() => nums.select(fn("log10", col("tiny").multiply(0))), "ARITHMETIC_OVERFLOW", /logarithm of zero/);
    const rows = await nums.filter(col("i").eq(8)).select(fn("exp", col("x")), pow(col("x"), 2), sqrt(lit(0))).collectArrays();
    assert.deepEqual(rows, [[Infinity, Infinity, 0]]);
  });

  // DuckDB wraps round(127::TINYINT, -1) to -126 (and fails on -128); we raise the overflow for both.
  it("raises ARITHMETIC_OVERFLOW when abs or round leave the integer type", async () => {
    await expectError(() => nums.select(abs("tiny")), "ARITHMETIC_OVERFLOW", /abs\(-128\) overflows int8/);
    await expectError(() => nums.filter(col("i").eq(5)).select(round("tiny", -1)), "ARITHMETIC_OVERFLOW", /round\(127\)/);
  });

  it("rejects non-numbers and wrong arity", async () => {
    await expectError(() => facts.select(abs("s")), "DATATYPE_MISMATCH", /abs: argument 1 must be a number, got string/);
    await expectError(() => facts.select(round("v", 1.5 as number)), "DATATYPE_MISMATCH", /round: argument 2 must be an integer/);
    await expectError(() => facts.select(call("pow", col("v"))), "WRONG_ARGUMENT", /pow takes 2/);
    await expectError(() => facts.select(call("sqroot", col("v"))), "UNRESOLVED_FUNCTION", /did you mean .*sqrt/);
  });

  it("hash is deterministic, equal for equal values, and never NULL", async () => {
    const rows = await facts.select("k", "s", call("hash", col("k")), call("hash", col("s"), col("k")), call("hash", col("s"))).collectArrays();
    const byKey = new Map<unknown, unknown>();
    for (const [k, , hk, hsk] of rows) {
      assert.equal(typeof hk, "number");
      assert.equal(typeof hsk, "number");
      if (byKey.has(k)) assert.equal(byKey.get(k), hk); else byKey.set(k, hk);
    }
    assert.ok(new Set(rows.map((r) => r[2])).size >= 20, "distinct keys should mostly hash apart");
    const again = await facts.select(call("hash", col("k"))).collectArrays();
    assert.deepEqual(again.map((r) => r[0]), rows.map((r) => r[2]));
  });
});
