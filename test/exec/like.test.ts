import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, col } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Column } from "../../src/api/column.ts";
import { loadTables } from "../support/datasets.ts";
import { dictionaryFrame, expectError, expectSame, loadSql } from "./expression-support.ts";

/** `value NOT LIKE pattern` / `NOT RLIKE`, as the SQL front end builds them. */
const notLike = (c: Column, pattern: string, regex = false) =>
  new Column({ type: "like", expr: c.expr, pattern: { type: "literal", value: pattern, dataType: { kind: "utf8" } }, negated: true, regex });

/** LIKE against another column's pattern. */
const likeColumn = (c: Column, pattern: Column) => new Column({ type: "like", expr: c.expr, pattern: pattern.expr, negated: false, regex: false });

describe("LIKE and RLIKE against DuckDB", () => {
  const session = new Session();
  let facts: DataFrame, words: DataFrame;
  before(async () => {
    ({ facts } = (await loadTables(session, ["facts"])) as { facts: DataFrame });
    words = await loadSql(session, "like_words", `SELECT * FROM (VALUES
      (1, 'apple pie', 'a%'), (2, 'héllo wörld', 'h_llo%'), (3, '', '%'), (4, NULL, '_'), (5, 'a_c', 'a\\_c'),
      (6, 'abc', 'a\\_c'), (7, '100%', '%\\%'), (8, 'ünïcödé', '_n_c_d_'), (9, 'line1' || chr(10) || 'line2', 'line1_line2'),
      (10, 'aaa', 'a%a%a'), (11, 'ab', 'a%b%'), (12, 'xyz', NULL), (13, 'mississippi', '%iss%ipp%'), (14, 'back\\slash', '%\\\\%')) t(i, w, pat)`);
  });

  it("matches the fast-path shapes (exact, prefix%, %suffix, %contains%) like DuckDB", async () => {
    await expectSame(facts.select("id", col("s").like("s1"), col("s").like("s1%"), col("s").like("%2"), col("s").like("%1%"), col("s").like("%"), col("s").like("")),
      "SELECT id, s LIKE 's1', s LIKE 's1%', s LIKE '%2', s LIKE '%1%', s LIKE '%', s LIKE '' FROM facts");
    await expectSame(words.select("i", col("w").like("apple%"), col("w").like("%wörld"), col("w").like("%ö%"), col("w").like("héllo wörld"), col("w").like("%%")),
      "SELECT i, w LIKE 'apple%', w LIKE '%wörld', w LIKE '%ö%', w LIKE 'héllo wörld', w LIKE '%%' FROM like_words");
  });

  it("matches general patterns with _ as one character (multibyte too) and backslash escapes", async () => {
    await expectSame(words.select("i", col("w").like("h_llo%"), col("w").like("_n_c_d_"), col("w").like("a\\_c"), col("w").like("%\\%"),
      col("w").like("a%a%a"), col("w").like("%iss%ipp%"), col("w").like("m%i"), col("w").like("line1_line2"), col("w").like("_"), col("w").like("__%__")),
      `SELECT i, w LIKE 'h_llo%' ESCAPE '\\', w LIKE '_n_c_d_' ESCAPE '\\', w LIKE 'a\\_c' ESCAPE '\\', w LIKE '%\\%' ESCAPE '\\',
         w LIKE 'a%a%a' ESCAPE '\\', w LIKE '%iss%ipp%' ESCAPE '\\', w LIKE 'm%i' ESCAPE '\\', w LIKE 'line1_line2' ESCAPE '\\', w LIKE '_' ESCAPE '\\', w LIKE '__%__' ESCAPE '\\'
       FROM like_words`);
  });

  it("NOT LIKE negates, keeping NULL as NULL", async () => {
    await expectSame(words.select("i", notLike(col("w"), "a%"), notLike(col("w"), "%ö%")), "SELECT i, w NOT LIKE 'a%', w NOT LIKE '%ö%' FROM like_words");
    await expectSame(facts.filter(notLike(col("s"), "s1%")).select("id"), "SELECT id FROM facts WHERE s NOT LIKE 's1%'");
  });

  it("takes the pattern from a column, row by row", async () => {
    await expectSame(words.select("i", likeColumn(col("w"), col("pat"))), "SELECT i, w LIKE pat ESCAPE '\\' FROM like_words");
  });

  it("works on dictionary-encoded input once per entry", async () => {
    const df = dictionaryFrame(session, ["apple", "banana", null, "apple", "cherry", "ápple"]);
    assert.deepEqual(await df.select(col("s").like("%an%"), col("s").like("_pple"), col("s").rlike("^[ab]")).collectArrays(),
      [[false, true, true], [true, false, true], [null, null, null], [false, true, true], [false, false, false], [false, true, false]]);
  });

  it("RLIKE finds the regex anywhere in the string, like Spark's rlike and DuckDB's regexp_matches", async () => {
    await expectSame(words.select("i", col("w").rlike("l+o"), col("w").rlike("^a"), col("w").rlike("d$"), col("w").rlike("(?i)APPLE"), col("w").rlike("ö|ü"), col("w").rlike("")),
      "SELECT i, regexp_matches(w, 'l+o'), regexp_matches(w, '^a'), regexp_matches(w, 'd$'), regexp_matches(w, '(?i)APPLE'), regexp_matches(w, 'ö|ü'), regexp_matches(w, '') FROM like_words");
    await expectSame(words.select("i", notLike(col("w"), "p{2}", true)), "SELECT i, NOT regexp_matches(w, 'p{2}') FROM like_words");
  });

  it("reports an invalid regex and a non-string operand", async () => {
    await expectError(() => words.select(col("w").rlike("(unclosed")), "WRONG_ARGUMENT", /invalid RLIKE pattern/);
    await expectError(() => facts.select(col("k").like("1%")), "DATATYPE_MISMATCH");
  });
});
