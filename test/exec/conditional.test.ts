import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, lit, when } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { coalesce } from "../../src/api/functions.ts";
import { Column, call } from "../../src/api/column.ts";
import { BOOLEAN, UTF8 } from "../../src/types/data-types.ts";
import { caseWhen } from "../../src/exec/conditional.ts";
import { constantVector } from "../../src/exec/constant.ts";
import { stringAt } from "../../src/exec/column-vector.ts";
import { loadTables } from "../support/datasets.ts";
import { dictionaryFrame, expectError, expectSame, loadSql } from "./expression-support.ts";

describe("CASE WHEN, IN, COALESCE and NULLIF against DuckDB", () => {
  const session = new Session();
  let facts: DataFrame, words: DataFrame;
  before(async () => {
    ({ facts } = (await loadTables(session, ["facts"])) as { facts: DataFrame });
    words = await loadSql(session, "cond_words", `SELECT * FROM (VALUES
      (1, 'apple', 'x'), (2, 'héllo', NULL), (3, '', 'y'), (4, NULL, 'z'), (5, 'apple', 'apple'), (6, 'ünïcödé', 'ünïcödé')) t(i, w, o)`);
  });

  it("takes the first TRUE branch; a NULL condition is not TRUE; no ELSE gives NULL", async () => {
    await expectSame(
      facts.select("id",
        when(col("k").gt(15), "big").when(col("k").gt(5), "mid").otherwise("small").alias("size"),
        when(col("v").lt(20), col("v").multiply(2)).when(col("k").isNull(), lit(-1)).alias("x"),
        when(col("k").gt(10), col("p")).otherwise(col("g")).alias("mixed"),
        when(col("v").isNull(), col("d")).alias("dd"),
        when(col("k").lt(3), col("s")).when(col("k").lt(6), lit("lit")).alias("strs")),
      `SELECT id,
         CASE WHEN k > 15 THEN 'big' WHEN k > 5 THEN 'mid' ELSE 'small' END,
         CASE WHEN v < 20 THEN v * 2 WHEN k IS NULL THEN -1 END,
         CASE WHEN k > 10 THEN p ELSE g END,
         CASE WHEN v IS NULL THEN d END,
         CASE WHEN k < 3 THEN s WHEN k < 6 THEN 'lit' END
       FROM facts`);
  });

  it("keeps string CASE results over literals dictionary-encoded and still correct", async () => {
    const cond = { type: BOOLEAN, length: 4, values: Uint8Array.of(1, 0, 1, 0), validity: Uint8Array.of(1, 1, 0, 1) };
    const out = caseWhen([{ when: cond, then: constantVector("big", UTF8, 4) }], constantVector("small", UTF8, 4), UTF8, 4);
    assert.ok(out.dictionary, "expected a dictionary-encoded result");
    assert.deepEqual([0, 1, 2, 3].map((i) => stringAt(out, i)), ["big", "small", "small", "small"]);
    await expectSame(facts.select(when(col("k").gt(15), "big").otherwise("small")), "SELECT CASE WHEN k > 15 THEN 'big' ELSE 'small' END FROM facts");
  });

  it("evaluates a THEN only on the rows its WHEN selects, so guarded casts and logs do not fail", async () => {
    const mixed = await loadSql(session, "cond_mixed", `SELECT * FROM (VALUES (1, '12', 4.0), (2, 'abc', -1.0), (3, NULL, 0.0), (4, '7', 10.0), (5, '', NULL)) t(i, s, x)`);
    await expectSame(mixed.select("i",
      when(col("s").rlike("^[0-9]+$"), col("s").cast("int")).otherwise(lit(-1)),
      when(col("x").gt(0), call("ln", col("x"))).when(col("x").eq(0), lit(0)),
      when(col("x").lt(0), lit(null)).when(call("sqrt", col("x")).gt(1), lit("big")).otherwise(lit("small"))),
      `SELECT i, CASE WHEN regexp_matches(s, '^[0-9]+$') THEN CAST(s AS INTEGER) ELSE -1 END,
         CASE WHEN x > 0 THEN ln(x) WHEN x = 0 THEN 0 END,
         CASE WHEN x < 0 THEN NULL WHEN sqrt(x) > 1 THEN 'big' ELSE 'small' END FROM cond_mixed`);
    await expectError(() => mixed.select(when(col("i").gt(1), col("s").cast("int"))), "CAST_INVALID_INPUT", /'abc'/);
  });

  it("evaluates a COALESCE argument only where every earlier argument is NULL", async () => {
    const mixed = await loadSql(session, "cond_coalesce", `SELECT * FROM (VALUES (1, 'abc', 5), (2, '12', NULL), (3, NULL, NULL), (4, 'x', 0)) t(i, s, n)`);
    await expectSame(mixed.select("i", coalesce(col("n"), col("s").cast("int"), lit(-1))),
      "SELECT i, coalesce(n, CAST(s AS INTEGER), -1) FROM cond_coalesce");
    await expectError(() => mixed.select(coalesce(col("s").cast("int"), col("n"))), "CAST_INVALID_INPUT", /'abc'/);
  });

  it("evaluates IN with SQL NULL semantics", async () => {
    await expectSame(
      facts.select("id", col("k").isin(1, 2, 3), col("k").isin(1, null), col("k").isin(1, null).not(), col("s").isin("s1", "s5"), col("s").isin("s1", null),
        col("d").isin("2020-01-01", "2021-05-01"), col("p").isin(1.25, 10.5)),
      `SELECT id, k IN (1, 2, 3), k IN (1, NULL), NOT (k IN (1, NULL)), s IN ('s1', 's5'), s IN ('s1', NULL),
         d IN (DATE '2020-01-01', DATE '2021-05-01'), p IN (1.25, 10.5) FROM facts`);
    // NOT IN through the negated form the SQL front end produces.
    const notIn = facts.select(new Column({ type: "in", expr: col("k").expr, list: [lit(1).expr, lit(null).expr], negated: true }));
    await expectSame(notIn, "SELECT k NOT IN (1, NULL) FROM facts");
  });

  it("uses a hash set for long lists, with the same answers", async () => {
    const ints = Array.from({ length: 40 }, (_, i) => i * 3);
    const strs = Array.from({ length: 20 }, (_, i) => `s${i}`);
    await expectSame(facts.select("id", col("id").isin(...ints), col("s").isin(...strs), col("v").isin(...ints.map((x) => x / 2)), col("k").isin(...ints, null)),
      `SELECT id, id IN (${ints.join(", ")}), s IN (${strs.map((s) => `'${s}'`).join(", ")}), v IN (${ints.map((x) => x / 2).join(", ")}), k IN (${ints.join(", ")}, NULL) FROM facts`);
    await expectSame(words.select("i", col("w").isin("apple", "", "ünïcödé", "a1", "a2", "a3", "a4", "a5", "a6", "a7")),
      "SELECT i, w IN ('apple', '', 'ünïcödé', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7') FROM cond_words");
  });

  it("compares against columns in the list, on plain and dictionary strings", async () => {
    await expectSame(words.select("i", col("w").isin(col("o"), "x"), col("w").isin(col("o"))), "SELECT i, w IN (o, 'x'), w IN (o) FROM cond_words");
    const dict = dictionaryFrame(session, ["a", "b", null, "a", "é"]);
    assert.deepEqual(await dict.select(col("s").isin("a", "é")).collectArrays(), [[true], [false], [null], [true], [true]]);
  });

  it("coalesce returns the first non-NULL argument, nullif blanks equal values", async () => {
    await expectSame(facts.select("id", coalesce("k", "g"), coalesce(col("v"), col("p"), lit(0)), coalesce(lit(null), col("k")), call("nullif", col("k"), lit(3)), call("nullif", col("s"), lit("s1")), call("nullif", col("k"), lit(null))),
      "SELECT id, coalesce(k, g), coalesce(v, p, 0), coalesce(NULL, k), nullif(k, 3), nullif(s, 's1'), nullif(k, NULL) FROM facts");
    await expectSame(words.select("i", coalesce("w", "o"), coalesce(col("o"), lit("none")), call("nullif", col("w"), col("o"))),
      "SELECT i, coalesce(w, o), coalesce(o, 'none'), nullif(w, o) FROM cond_words");
  });

  it("rejects branches of incompatible types and non-boolean conditions", async () => {
    await expectError(() => facts.select(when(col("k").gt(1), col("s")).otherwise(col("v"))), "DATATYPE_MISMATCH");
    await expectError(() => facts.select(when(col("k"), 1)), "DATATYPE_MISMATCH", /WHEN condition must be boolean/);
    await expectError(() => facts.select(coalesce("s", "k")), "DATATYPE_MISMATCH");
    await expectError(() => facts.select(col("s").isin(1, 2)), "DATATYPE_MISMATCH");
  });
});
