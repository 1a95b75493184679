/**
 * SQL through `session.sql` on the shared test tables (NULL keys, duplicates,
 * strings, dates, decimals), each result equal to DuckDB's; plus the plan
 * shapes of the lowering (HAVING and ORDER BY's hidden columns, USING) and
 * the AnalysisErrors for unknown tables and columns.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, AnalysisError } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { planToString } from "../../src/plan/logical-plan.ts";
import { normalizeIds } from "../optimizer/plan-text.ts";

const QUERIES: [string, boolean, string?][] = [
  // [query, ordered, DuckDB's spelling when it differs]
  ["SELECT id, v * 2 AS w, s FROM facts WHERE v > 50 AND s LIKE 's1%'", false],
  ["SELECT * FROM dims WHERE k IS NOT NULL AND grp IN (1, 3)", false],
  ["SELECT k, count(*) AS n, sum(v) AS total, avg(v), min(d), max(s) FROM facts GROUP BY k", false],
  ["SELECT g, count(DISTINCT k) FROM facts GROUP BY 1 ORDER BY 1", true],
  ["SELECT k % 5 AS bucket, count(*) FROM facts GROUP BY k % 5 HAVING count(*) > 300", false],
  ["SELECT k, sum(v) FROM facts GROUP BY k HAVING max(v) > 99.5 ORDER BY count(*) DESC, k", true],
  ["SELECT id, k FROM facts ORDER BY v DESC NULLS LAST, id LIMIT 7 OFFSET 3", true],
  ["SELECT id FROM facts ORDER BY k NULLS FIRST, id DESC LIMIT 5", true],
  ["SELECT DISTINCT g, k FROM facts WHERE k < 4", false],
  ["SELECT f.id, d.name FROM facts f JOIN dims d ON f.k = d.k WHERE d.grp = 2 AND f.id < 500", false],
  ["SELECT f.id, d.name FROM facts f LEFT JOIN dims d ON f.k = d.k AND d.grp = 1 WHERE f.id < 200", false],
  ["SELECT d.k, f.id FROM facts f RIGHT JOIN dims d ON f.k = d.k AND f.id < 50", false],
  ["SELECT f.id, d.k FROM (SELECT * FROM facts WHERE id < 60) f FULL OUTER JOIN dims d ON f.k = d.k", false],
  ["SELECT k, name FROM dims JOIN (SELECT DISTINCT k FROM facts WHERE g = 1) USING (k)", false],
  ["SELECT f.id, d.grp FROM facts f, dims d WHERE f.k = d.k AND f.v > 90", false],
  ["SELECT d.name FROM dims d LEFT SEMI JOIN facts f ON f.k = d.k AND f.v > 99", false, "SELECT d.name FROM dims d SEMI JOIN facts f ON f.k = d.k AND f.v > 99"],
  ["SELECT d.name FROM dims d LEFT ANTI JOIN facts f ON f.k = d.k", false, "SELECT d.name FROM dims d ANTI JOIN facts f ON f.k = d.k"],
  ["SELECT name FROM dims WHERE EXISTS (SELECT 1 FROM facts f WHERE f.k = dims.k AND f.v > 99)", false],
  ["SELECT name FROM dims d WHERE NOT EXISTS (SELECT * FROM facts f WHERE f.k = d.k AND f.g = 2)", false],
  ["SELECT name FROM dims WHERE k IN (SELECT k FROM facts WHERE v > 98)", false],
  ["SELECT name FROM dims WHERE k NOT IN (SELECT k FROM facts WHERE v > 98 AND k IS NOT NULL)", false],
  // NOT IN over a subquery that yields a NULL is never true.
  ["SELECT name FROM dims WHERE k NOT IN (SELECT k FROM facts)", false],
  ["SELECT name FROM dims WHERE grp NOT IN (SELECT k FROM dims WHERE k < 2)", false],
  ["SELECT id, v FROM facts WHERE v > (SELECT avg(v) FROM facts) AND id < 100", false],
  ["SELECT d.k, (SELECT count(*) FROM facts) AS total FROM dims d WHERE d.k < 3", false],
  ["SELECT id FROM facts f WHERE v > (SELECT max(v) - 1 FROM facts g WHERE g.k = f.k)", false],
  ["SELECT k, cnt FROM (SELECT k, count(*) AS cnt FROM facts GROUP BY k) AS t WHERE cnt > 90", false],
  ["WITH big AS (SELECT k, sum(v) AS s FROM facts GROUP BY k), top AS (SELECT * FROM big WHERE s > 4000) SELECT t.k, d.name FROM top t JOIN dims d ON t.k = d.k", false],
  ["SELECT k FROM dims UNION SELECT k FROM facts WHERE k > 20", false],
  ["SELECT k FROM dims UNION ALL SELECT k FROM dims ORDER BY 1 NULLS LAST", true],
  ["SELECT k FROM dims INTERSECT SELECT k FROM facts", false],
  ["SELECT k FROM dims EXCEPT SELECT k FROM facts", false],
  ["SELECT id, CASE WHEN v > 50 THEN 'high' WHEN v IS NULL THEN 'none' ELSE 'low' END AS band, coalesce(k, -1) FROM facts WHERE id < 50", false],
  ["SELECT id FROM facts WHERE v BETWEEN 10 AND 20 AND k NOT BETWEEN 3 AND 8", false],
  ["SELECT id, CAST(p AS double) AS pd, CAST(k AS bigint) FROM facts WHERE id < 30", false],
  ["SELECT id, extract(year FROM d) AS y, month(d) FROM facts WHERE d >= date '2021-06-01' AND d < date '2021-06-01' + interval '1' month", false],
  ["SELECT id, d FROM facts WHERE d <= date '2020-03-01' - interval '10' day", false],
  ["SELECT id, substring(s FROM 1 FOR 2) AS pre, upper(s) FROM facts WHERE id < 20", false],
  ["SELECT sum(p), sum(p * 2), sum(p) / 4 FROM facts WHERE p BETWEEN 0.50 AND 10.25", false],
  ["SELECT id, row_number() OVER (PARTITION BY k ORDER BY id) AS rn FROM facts WHERE id < 100", false],
  ["SELECT id, sum(v) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3 FROM facts WHERE id < 60", false],
  ["SELECT count(*), count(k), count(DISTINCT s) FROM facts", false],
  ["SELECT 1 + 2 AS three, 'x' AS s", false],
];

describe("SQL queries equal DuckDB", () => {
  const session = new Session();
  before(async () => { await loadTables(session, ["facts", "dims"]); });

  for (const [sql, ordered, duckSql] of QUERIES) {
    it(sql, async () => {
      assertRowsEqual(await session.sql(sql).collectArrays(), await duckRows(duckSql ?? sql), { ordered });
    });
  }

  it("CREATE TEMP VIEW, SHOW TABLES and DESCRIBE", async () => {
    await session.sql("CREATE OR REPLACE TEMP VIEW highs AS SELECT k, v FROM facts WHERE v > 95").collect();
    assert.deepEqual(await session.sql("SELECT count(*) FROM highs").collectArrays(), await duckRows("SELECT count(*) FROM facts WHERE v > 95"));
    const tables = (await session.sql("SHOW TABLES").collectArrays()).map((r) => r[0]);
    assert.ok(tables.includes("highs") && tables.includes("facts"));
    assert.deepEqual(await session.sql("DESCRIBE highs").collectArrays(), [["k", "int32", true], ["v", "float64", true]]);
    assert.throws(() => session.sql("CREATE TEMP VIEW highs AS SELECT 1"), /already exists/);
  });

  it("EXPLAIN returns the plans as text", async () => {
    const [[text]] = await session.sql("EXPLAIN SELECT k FROM facts WHERE v > 1").collectArrays() as [[string]];
    assert.match(text, /Optimized Logical Plan/);
  });

  it("HAVING aggregates and ORDER BY columns outside the select list are hidden outputs projected away", () => {
    const df = session.sql("SELECT k FROM facts GROUP BY k HAVING sum(v) > 10 ORDER BY max(id)");
    assert.deepEqual(df.columns, ["k"]);
    assert.equal(normalizeIds(planToString(df.plan)).replace(/memory:t\d+/, "memory:t"), [
      "Project [facts.k#1]",
      "+- Sort [__agg1#2 ASC NULLS FIRST]",
      "   +- Filter (__agg0#3 > CAST(10 AS float64))",
      "      +- Aggregate [facts.k#1], [facts.k#1, sum(facts.v#4) AS __agg0#3, max(facts.id#5) AS __agg1#2]",
      "         +- SubqueryAlias facts",
      "            +- Scan memory:t [id#5, k#1, v#4, s#6, d#7, p#8, g#9]",
    ].join("\n"));
  });

  it("JOIN USING outputs each USING column once", () => {
    assert.deepEqual(session.sql("SELECT * FROM dims a JOIN dims b USING (k)").columns, ["k", "name", "grp", "name", "grp"]);
  });

  it("a table used twice gets fresh attribute ids (self-join)", async () => {
    const sql = "SELECT a.k, b.k FROM dims a JOIN dims b ON a.k = b.k - 1";
    assertRowsEqual(await session.sql(sql).collectArrays(), await duckRows(sql));
  });

  it("unknown tables and columns are AnalysisErrors with suggestions", () => {
    assert.throws(() => session.sql("SELECT * FROM fatcs"), (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.equal(e.code, "UNRESOLVED_TABLE");
      assert.match(e.message, /unknown table or view 'fatcs'; did you mean facts\?/);
      return true;
    });
    assert.throws(() => session.sql("SELECT nmae FROM dims"), (e: unknown) => {
      assert.ok(e instanceof AnalysisError);
      assert.equal(e.code, "UNRESOLVED_COLUMN");
      assert.match(e.message, /unknown column 'nmae'; did you mean 'name'\?/);
      assert.ok((e.details as { suggestions: string[] }).suggestions.includes("name"));
      return true;
    });
    assert.throws(() => session.sql("SELECT d.nme FROM dims d"), /unknown column 'd.nme'; did you mean 'd.name'\?/);
    assert.throws(() => session.sql("SELECT k FROM facts f JOIN dims d ON f.k = d.k"), (e: unknown) => e instanceof AnalysisError && e.code === "AMBIGUOUS_REFERENCE");
    assert.throws(() => session.sql("SELECT k, v FROM facts GROUP BY k"), /column 'v' is neither grouped nor aggregated/);
    assert.throws(() => session.sql("SELECT k FROM facts ORDER BY 3"), /ORDER BY position 3 is not in the select list/);
    // DuckDB refuses it too; it used to give one row with no columns.
    assert.throws(() => session.sql("SELECT *"), (e: unknown) => e instanceof AnalysisError && /'\*' needs a FROM clause/.test(e.message));
  });
});
