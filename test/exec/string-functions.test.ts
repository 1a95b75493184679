import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col, lit } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { concat, contains, endsWith, length, lower, ltrim, rtrim, startsWith, substring, trim, upper } from "../../src/api/functions.ts";
import { call } from "../../src/api/column.ts";
import { count } from "../../src/api/functions.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { loadTables } from "../support/datasets.ts";
import { dictionaryFrame, expectError, expectSame, loadSql } from "./expression-support.ts";

describe("string functions against DuckDB", () => {
  const session = new Session();
  let facts: DataFrame, words: DataFrame;
  before(async () => {
    ({ facts } = (await loadTables(session, ["facts"])) as { facts: DataFrame });
    words = await loadSql(session, "str_words", `SELECT * FROM (VALUES
      (1, 'Hello World', 'lo', 2, 3), (2, 'héllo wörld', 'wö', -3, 2), (3, '', '', 0, 1), (4, NULL, 'x', 1, NULL),
      (5, '  padded  ', ' ', 3, -2), (6, 'ünïcödé 😀 emoji', '😀', -1, 5), (7, 'MiXeD 123', NULL, NULL, 1), (8, 'tab' || chr(9) || ' ', 'tab', 10, 2)) t(i, w, part, st, len)`);
  });

  it("upper, lower and length (in characters) match DuckDB on ASCII and multibyte text", async () => {
    await expectSame(words.select("i", upper("w"), lower("w"), length("w")), "SELECT i, upper(w), lower(w), length(w) FROM str_words");
    await expectSame(facts.select("id", upper("s"), length("s"), lower(upper("s"))), "SELECT id, upper(s), length(s), lower(upper(s)) FROM facts");
  });

  it("trim, ltrim and rtrim remove spaces only", async () => {
    await expectSame(words.select("i", trim("w"), ltrim("w"), rtrim("w"), length(trim("w"))), "SELECT i, trim(w), ltrim(w), rtrim(w), length(trim(w)) FROM str_words");
  });

  it("substring counts characters, with DuckDB's rules for start 0, negative starts and negative lengths", async () => {
    await expectSame(words.select("i", substring("w", 2, 3), substring("w", 0, 2), substring("w", -3, 2), substring("w", -3), substring("w", 1), substring("w", 3, -2),
      substring("w", 100, 2), substring("w", -100, 3), substring("w", 2, 0)),
      `SELECT i, substring(w, 2, 3), substring(w, 0, 2), substring(w, -3, 2), substring(w, -3), substring(w, 1), substring(w, 3, -2),
         substring(w, 100, 2), substring(w, -100, 3), substring(w, 2, 0) FROM str_words`);
    // Start and length from columns (NULL in either gives NULL).
    await expectSame(words.select("i", call("substring", col("w"), col("st"), col("len")), call("substring", col("w"), col("st"))),
      "SELECT i, substring(w, st, len), substring(w, st) FROM str_words");
  });

  it("concat is NULL when any argument is NULL and casts non-strings to text", async () => {
    await expectSame(words.select("i", concat("w", "part"), concat(col("w"), lit("|"), col("i")), concat(lit("x"))), "SELECT i, w || part, w || '|' || i, 'x' FROM str_words");
    await expectSame(facts.select("id", concat(col("s"), lit("-"), col("k"), lit("-"), col("p"), lit("-"), col("d"))), "SELECT id, s || '-' || k || '-' || p || '-' || d FROM facts");
  });

  it("startswith, endswith and contains compare bytes, with literals or columns", async () => {
    await expectSame(words.select("i", startsWith("w", lit("hé")), endsWith("w", lit("ld")), contains("w", lit("ö")), contains("w", lit("")), startsWith("w", lit(""))),
      "SELECT i, starts_with(w, 'hé'), ends_with(w, 'ld'), contains(w, 'ö'), contains(w, ''), starts_with(w, '') FROM str_words");
    await expectSame(words.select("i", startsWith("w", col("part")), endsWith("w", col("part")), contains("w", col("part"))),
      "SELECT i, starts_with(w, part), ends_with(w, part), contains(w, part) FROM str_words");
    await expectSame(facts.filter(contains("s", lit("1"))).select("id"), "SELECT id FROM facts WHERE contains(s, '1')");
  });

  it("computes once per entry on dictionary-encoded strings and keeps rows aligned", async () => {
    const df = dictionaryFrame(session, ["abc", " Ünï ", null, "abc", "", " Ünï "]);
    assert.deepEqual(await df.select(upper("s"), length("s"), trim("s"), substring("s", 2, 2), startsWith("s", lit("a")), contains("s", lit("n"))).collectArrays(), [
      ["ABC", 3, "abc", "bc", true, false],
      [" ÜNÏ ", 5, "Ünï", "Ün", false, true],
      [null, null, null, null, null, null],
      ["ABC", 3, "abc", "bc", true, false],
      ["", 0, "", "", false, false],
      [" ÜNÏ ", 5, "Ünï", "Ün", false, true],
    ]);
  });

  it("keeps dictionary entries distinct after mapping, so equal results group together", async () => {
    const df = dictionaryFrame(session, ["a", "A", "b", " a", "a", null]);
    const batches = await df.select(upper(trim("s")).alias("u")).collectBatches();
    const u = batches[0]!.columns[0]!;
    if (u.dictionary) assert.equal(u.dictionary.length, 2, "'A' and 'B' once each");
    const groups = await df.withColumn("u", upper(trim("s"))).groupBy("u").agg(count("*").alias("n")).collectArrays();
    assertRowsEqual(groups, [["A", 4], ["B", 1], [null, 1]]);
  });

  it("rejects wrong argument types, wrong arity and unknown functions with typed errors", async () => {
    await expectError(() => facts.select(upper("k")), "DATATYPE_MISMATCH", /upper: argument 1 must be a string, got int32/);
    await expectError(() => facts.select(call("substring", col("s"), lit("x"))), "DATATYPE_MISMATCH", /argument 2 must be an integer/);
    await expectError(() => facts.select(call("upper", col("s"), col("s"))), "WRONG_ARGUMENT", /upper takes 1 argument/);
    await expectError(() => facts.select(call("substring", col("s"))), "WRONG_ARGUMENT", /2 to 3/);
    const e = await expectError(() => facts.select(call("uper", col("s"))), "UNRESOLVED_FUNCTION", /did you mean .*upper/);
    assert.ok((e.details as { suggestions: string[] }).suggestions.includes("upper"));
  });
});
