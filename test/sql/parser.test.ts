/**
 * The SQL parser on its own: one test per construct of issue 3 (AST or
 * expression shape), and malformed queries with their exact line, column
 * and caret excerpt.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Parser } from "../../src/sql/parser.ts";
import { parseExpression } from "../../src/sql/index.ts";
import type { QueryAst, SelectAst, StatementAst } from "../../src/sql/ast.ts";
import type { Expr } from "../../src/plan/expressions.ts";
import { exprToString } from "../../src/plan/expressions.ts";
import type { LogicalPlan } from "../../src/plan/logical-plan.ts";
import { ParseError } from "../../src/common/errors.ts";

/** Parses a statement; subqueries lower to a marker Scan-free plan so AST tests need no tables. */
function parse(text: string): StatementAst {
  const marker = (): LogicalPlan => ({ type: "Scan", source: { kind: "range", start: 0, end: 1, step: 1, numPartitions: 1 }, schema: [], projection: null, filters: [] });
  return new Parser(text, marker).parseStatement();
}
function query(text: string): QueryAst {
  const s = parse(text);
  assert.equal(s.kind, "query");
  return (s as { query: QueryAst }).query;
}
function select(text: string): SelectAst {
  const body = query(text).body;
  assert.equal(body.kind, "select");
  return body as SelectAst;
}
const expr = (text: string): string => exprToString(parseExpression(text));
const where = (text: string): Expr => select(`SELECT 1 FROM t WHERE ${text}`).where!;

describe("SQL parser: one test per construct", () => {
  it("select list with expressions and aliases, implicit and AS", () => {
    const s = select("SELECT a + 1 AS b, c d, `weird name`, t.* , * FROM t");
    assert.deepEqual(s.items.map((i) => i.alias), ["b", "d", null, null, null]);
    assert.equal(exprToString(s.items[0]!.expr), "(a + 1)");
    assert.deepEqual(s.items[2]!.expr, { type: "column", name: "weird name" });
    assert.deepEqual(s.items[3]!.expr, { type: "star", qualifier: "t" });
    assert.deepEqual(s.items[4]!.expr, { type: "star" });
  });

  it("explicit joins of every type with ON and USING", () => {
    const from = select(`SELECT 1 FROM a JOIN b ON a.k = b.k LEFT JOIN c USING (k) RIGHT OUTER JOIN d ON true
      FULL JOIN e ON true LEFT SEMI JOIN f ON true LEFT ANTI JOIN g ON true CROSS JOIN h INNER JOIN i USING (x, y)`).from;
    assert.equal(from.length, 1);
    const types: string[] = [];
    let node = from[0]!;
    while (node.kind === "join") { types.unshift(node.joinType); if (node.joinType === "inner" && node.using.length) assert.deepEqual(node.using, ["x", "y"]); node = node.left; }
    assert.deepEqual(types, ["inner", "left", "right", "full", "left_semi", "left_anti", "cross", "inner"]);
  });

  it("comma joins keep one FROM item per table, condition in WHERE", () => {
    const s = select("SELECT 1 FROM a, b x, (SELECT 1) y WHERE a.k = x.k");
    assert.deepEqual(s.from.map((f) => f.kind), ["table", "table", "subquery"]);
    assert.equal(s.from[1]!.kind === "table" && s.from[1]!.alias, "x");
    assert.equal(exprToString(s.where!), "(a.k = x.k)");
  });

  it("GROUP BY names, positions and expressions; HAVING", () => {
    const s = select("SELECT k, year(d), count(*) FROM t GROUP BY k, 2, g + 1 HAVING count(*) > 1");
    assert.deepEqual(s.groupBy.map(exprToString), ["k", "2", "(g + 1)"]);
    assert.equal(exprToString(s.having!), "(count(*) > 1)");
  });

  it("ORDER BY with ASC/DESC and NULLS FIRST/LAST (Spark defaults), LIMIT and OFFSET", () => {
    const q = query("SELECT a FROM t ORDER BY a, b DESC, c ASC NULLS LAST, d DESC NULLS FIRST LIMIT 10 OFFSET 5");
    assert.deepEqual(q.orderBy.map((o) => [o.ascending, o.nullsFirst]), [[true, true], [false, false], [true, false], [false, true]]);
    assert.equal(q.limit, 10);
    assert.equal(q.offset, 5);
  });

  it("DISTINCT", () => {
    assert.equal(select("SELECT DISTINCT a FROM t").distinct, true);
    assert.equal(select("SELECT ALL a FROM t").distinct, false);
  });

  it("UNION [ALL], INTERSECT, EXCEPT with INTERSECT binding tighter", () => {
    const body = query("SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4").body;
    assert.equal(body.kind, "setOp");
    if (body.kind !== "setOp") return;
    assert.equal(body.op, "except");
    assert.equal(body.left.kind === "setOp" && body.left.op, "union");
    assert.equal(body.left.kind === "setOp" && body.left.all, true);
    assert.equal(body.left.kind === "setOp" && body.left.right.kind === "setOp" && body.left.right.op, "intersect");
  });

  it("WITH (CTEs) with column lists", () => {
    const q = query("WITH a AS (SELECT 1), b (x, y) AS (SELECT 1, 2) SELECT * FROM a, b");
    assert.deepEqual(q.with.map((c) => [c.name, c.columnAliases]), [["a", []], ["b", ["x", "y"]]]);
  });

  it("subqueries in FROM with alias and column aliases", () => {
    const f = select("SELECT * FROM (SELECT a, count(*) FROM t GROUP BY a) AS c (k, n)").from[0]!;
    assert.equal(f.kind, "subquery");
    assert.deepEqual(f.kind === "subquery" && [f.alias, f.columnAliases], ["c", ["k", "n"]]);
  });

  it("scalar subqueries, IN / NOT IN subqueries, EXISTS / NOT EXISTS", () => {
    assert.equal(where("a > (SELECT max(b) FROM u)").type, "binary");
    assert.equal((where("a > (SELECT max(b) FROM u)") as { right: Expr }).right.type, "scalarSubquery");
    assert.deepEqual([where("a IN (SELECT b FROM u)")].map((e) => [e.type, (e as { negated: boolean }).negated]), [["inSubquery", false]]);
    assert.deepEqual([where("a NOT IN (SELECT b FROM u)")].map((e) => [e.type, (e as { negated: boolean }).negated]), [["inSubquery", true]]);
    assert.equal(where("EXISTS (SELECT * FROM u WHERE u.k = t.k)").type, "exists");
    const notExists = where("NOT EXISTS (SELECT 1 FROM u)");
    assert.equal(notExists.type === "not" && notExists.expr.type, "exists");
  });

  it("CASE (searched and simple)", () => {
    assert.equal(expr("CASE WHEN a > 1 THEN 'x' WHEN a IS NULL THEN 'n' ELSE 'y' END"), "CASE WHEN (a > 1) THEN 'x' WHEN a IS NULL THEN 'n' ELSE 'y' END");
    assert.equal(expr("CASE a WHEN 1 THEN 2 END"), "CASE WHEN (a = 1) THEN 2 END");
  });

  it("CAST and the :: shorthand", () => {
    assert.equal(expr("CAST(a AS decimal(15, 2))"), "CAST(a AS decimal(15,2))");
    assert.equal(expr("a::bigint"), "CAST(a AS int64)");
    assert.equal(expr("CAST(d AS DATE)"), "CAST(d AS date32)");
  });

  it("BETWEEN and NOT BETWEEN become range comparisons", () => {
    assert.equal(expr("a BETWEEN 1 AND 5"), "((a >= 1) AND (a <= 5))");
    assert.equal(expr("a NOT BETWEEN 1 AND 5"), "NOT ((a >= 1) AND (a <= 5))");
  });

  it("LIKE, NOT LIKE, RLIKE", () => {
    assert.equal(expr("s LIKE 'a%'"), "s LIKE 'a%'");
    assert.equal(expr("s NOT LIKE '%special%requests%'"), "s NOT LIKE '%special%requests%'");
    assert.equal(expr("s RLIKE '^a.*'"), "s RLIKE '^a.*'");
  });

  it("IS [NOT] NULL, IN lists, COALESCE, <=> and <>", () => {
    assert.equal(expr("a IS NOT NULL AND b IS NULL"), "(a IS NOT NULL AND b IS NULL)");
    assert.equal(expr("a NOT IN (1, 2, 3)"), "a NOT IN (1, 2, 3)");
    assert.equal(expr("coalesce(a, b, 0)"), "coalesce(a, b, 0)");
    assert.equal(expr("a <=> b OR a <> b"), "((a <=> b) OR (a != b))");
  });

  it("date literals and interval arithmetic: days, months, years", () => {
    assert.deepEqual(parseExpression("date '1998-12-01'"), { type: "literal", value: 10561, dataType: { kind: "date32" } });
    assert.equal(expr("date '1998-12-01' - interval '90' day"), "date_sub(DATE '1998-12-01', 90)");
    assert.equal(expr("d + interval '3' month"), "add_months(d, 3)");
    assert.equal(expr("d + interval '1' year"), "add_months(d, 12)");
    assert.equal(expr("d - interval 2 years"), "add_months(d, -24)");
    assert.equal(expr("interval '1' week + d"), "date_add(d, 7)");
  });

  it("extract(field FROM d) and substring in both spellings", () => {
    assert.equal(expr("extract(year from l_shipdate)"), "year(l_shipdate)");
    assert.equal(expr("EXTRACT(MONTH FROM d)"), "month(d)");
    assert.equal(expr("substring(c_phone from 1 for 2)"), "substring(c_phone, 1, 2)");
    assert.equal(expr("substr(s, 2)"), "substring(s, 2)");
  });

  it("window functions with PARTITION BY, ORDER BY and ROWS/RANGE frames", () => {
    const w = parseExpression("sum(v) OVER (PARTITION BY k ORDER BY d DESC ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)");
    assert.equal(w.type, "window");
    if (w.type !== "window") return;
    assert.equal(w.fn, "sum");
    assert.deepEqual(w.spec.frame, { unit: "rows", start: { kind: "offset", value: -2 }, end: { kind: "currentRow" } });
    assert.equal(w.spec.orderBy[0]!.ascending, false);
    const r = parseExpression("rank() OVER (ORDER BY v RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)");
    assert.equal(r.type === "window" && r.fn, "rank");
    assert.deepEqual(r.type === "window" && r.spec.frame, { unit: "range", start: { kind: "unboundedPreceding" }, end: { kind: "unboundedFollowing" } });
  });

  it("count(*), count(distinct x) and other aggregates", () => {
    assert.deepEqual(parseExpression("count(*)"), { type: "aggregate", fn: "count_star", args: [], distinct: false });
    assert.deepEqual(parseExpression("count(DISTINCT x)"), { type: "aggregate", fn: "count", args: [{ type: "column", name: "x" }], distinct: true });
    assert.equal(expr("avg(a) + min(b) + max(c)"), "((avg(a) + min(b)) + max(c))");
  });

  it("numeric literals follow Spark typing: int, bigint, exact decimal, double", () => {
    assert.deepEqual(parseExpression("7"), { type: "literal", value: 7, dataType: { kind: "int32" } });
    assert.deepEqual(parseExpression("3000000000"), { type: "literal", value: 3000000000, dataType: { kind: "int64" } });
    assert.deepEqual(parseExpression("0.06"), { type: "literal", value: 6, dataType: { kind: "decimal", precision: 2, scale: 2 } });
    assert.deepEqual(parseExpression("1.5e3"), { type: "literal", value: 1500, dataType: { kind: "float64" } });
    assert.deepEqual(parseExpression("-2"), { type: "literal", value: -2, dataType: { kind: "int32" } });
  });

  it("precedence: OR < AND < NOT < comparison < || < + - < * / %", () => {
    assert.equal(expr("a OR b AND NOT c = 1 + 2 * 3"), "(a OR (b AND NOT (c = (1 + (2 * 3)))))");
    assert.equal(expr("a || b = 'xy'"), "(concat(a, b) = 'xy')");
  });

  it("statements: CREATE [OR REPLACE] TEMP VIEW, SHOW TABLES, DESCRIBE, EXPLAIN", () => {
    const v = parse("CREATE OR REPLACE TEMPORARY VIEW big AS SELECT * FROM t WHERE v > 1");
    assert.deepEqual([v.kind, v.kind === "createView" && v.name, v.kind === "createView" && v.replace], ["createView", "big", true]);
    const v2 = parse("create temp view small as select 1");
    assert.equal(v2.kind === "createView" && v2.replace, false);
    assert.deepEqual(parse("SHOW TABLES;"), { kind: "showTables" });
    assert.deepEqual(parse("DESCRIBE facts"), { kind: "describe", name: "facts" });
    assert.equal(parse("EXPLAIN SELECT 1").kind, "explain");
  });

  it("comments and quoted strings", () => {
    const s = select("SELECT 'it''s' /* block\ncomment */ AS x -- line comment\nFROM t");
    assert.deepEqual(s.items[0], { expr: { type: "literal", value: "it's", dataType: { kind: "utf8" } }, alias: "x" });
  });
});

/** Ten (and more) malformed queries, each with its exact position and caret excerpt. */
const MALFORMED: [string, string][] = [
  ["SELECT a, FROM t", "expected an expression, found 'FROM' (line 1, column 11)\nSELECT a, FROM t\n          ^"],
  ["SELECT a FROM t WHERE", "expected an expression, found end of input (line 1, column 22)\nSELECT a FROM t WHERE\n                     ^"],
  ["SELECT a\nFROM t\nWHERE a = = 1", "expected an expression, found '=' (line 3, column 11)\nWHERE a = = 1\n          ^"],
  ["SELECT (a + 1 FROM t", "expected ')' to close the parenthesis, found 'FROM' (line 1, column 15)\nSELECT (a + 1 FROM t\n              ^"],
  ["SELECT a FROM t ORDER a", "expected BY after ORDER, found 'a' (line 1, column 23)\nSELECT a FROM t ORDER a\n                      ^"],
  ["SELECT 'abc FROM t", "unterminated string literal; add the closing ' (line 1, column 8)\nSELECT 'abc FROM t\n       ^"],
  ["SELECT a FROM t\n  GROUP BY a\n  HAVING count(*) > 1 LIMIT x", "expected a row count after LIMIT, found 'x' (line 3, column 29)\n  HAVING count(*) > 1 LIMIT x\n                            ^"],
  ["SELECT CAST(a AS blob) FROM t", "unknown type 'blob' (line 1, column 18)\nSELECT CAST(a AS blob) FROM t\n                 ^"],
  ["SELECT a FROM t JOIN u", "expected ON or USING after the joined table, found end of input (line 1, column 23)\nSELECT a FROM t JOIN u\n                      ^"],
  ["SELECT date '2024-02-30' FROM t", "invalid date '2024-02-30'; expected 'YYYY-MM-DD' (line 1, column 13)\nSELECT date '2024-02-30' FROM t\n            ^"],
  ["SELECT a FROM t WHERE a NOT 5", "expected IN, BETWEEN, LIKE or RLIKE after NOT, found '5' (line 1, column 29)\nSELECT a FROM t WHERE a NOT 5\n                            ^"],
  ["SELECT sum(*) FROM t", "'*' is only allowed in count(*), not sum(*) (line 1, column 8)\nSELECT sum(*) FROM t\n       ^"],
  ["SELECT CASE a WHEN 1 THEN 2 FROM t", "expected END to close CASE, found 'FROM' (line 1, column 29)\nSELECT CASE a WHEN 1 THEN 2 FROM t\n                            ^"],
  ["SELEC a FROM t", "expected SELECT, WITH, CREATE TEMP VIEW, SHOW TABLES, DESCRIBE or EXPLAIN, found 'SELEC' (line 1, column 1)\nSELEC a FROM t\n^"],
  ["SELECT a FROM t; SELECT 1", "expected end of statement, found 'SELECT' (line 1, column 18)\nSELECT a FROM t; SELECT 1\n                 ^"],
  ["SELECT a FROM t WHERE a IN (1, 2", "expected ')' to close the IN list, found end of input (line 1, column 33)\nSELECT a FROM t WHERE a IN (1, 2\n                                ^"],
  ["SELECT a # b FROM t", "unexpected character '#' (line 1, column 10)\nSELECT a # b FROM t\n         ^"],
  ["SELECT interval '1' day FROM t", "an interval can only be added to or subtracted from a date, as in d + INTERVAL '1' DAY (line 1, column 8)\nSELECT interval '1' day FROM t\n       ^"],
];

describe("SQL parser: malformed queries", () => {
  for (const [text, message] of MALFORMED) {
    it(`reports ${JSON.stringify(text)} with line, column and caret`, () => {
      assert.throws(() => parse(text), (e: unknown) => {
        assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
        assert.equal(e.code, "PARSE_SYNTAX_ERROR");
        assert.equal(e.message, message);
        const m = /\(line (\d+), column (\d+)\)/.exec(message)!;
        assert.deepEqual([e.line, e.column], [Number(m[1]), Number(m[2])]);
        assert.deepEqual(e.details, { line: Number(m[1]), column: Number(m[2]) });
        return true;
      });
    });
  }
});
