/**
 * SQL expressions, by Spark's precedence (`SqlBaseParser.g4`): OR < AND <
 * NOT < comparison/IN/BETWEEN/LIKE/IS < || < + - < * / % < unary minus <
 * primary; function calls, aggregates and window functions with OVER,
 * CASE, CAST and the Spark forms of EXTRACT and SUBSTRING. A subquery met
 * in an expression is parsed by the statement layer and lowered at once.
 */
import type { Expr, SortOrder } from "../plan/expressions.ts";
import type { AggregateFn, FrameBound, RankingFn, WindowFrame } from "../types/operations.ts";
import { NULL, BOOLEAN, UTF8 } from "../types/data-types.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { Token } from "./lexer.ts";
import type { CteAst, QueryAst } from "./ast.ts";
import { RESERVED } from "./token-cursor.ts";
import { LiteralParser, applyInterval, isIntervalMarker, numberLiteral } from "./literal-parser.ts";

/** Lowers a subquery met inside an expression, seeing the CTEs in scope at that point. */
export type SubqueryLowering = (query: QueryAst, ctes: readonly CteAst[]) => LogicalPlan;

const AGGREGATES = new Set<string>(["sum", "avg", "count", "min", "max", "first"]);
const AGGREGATE_ALIASES: Record<string, AggregateFn> = { mean: "avg", first_value: "first" };
const RANKING = new Set<string>(["row_number", "rank", "dense_rank", "lag", "lead"]);

export abstract class ExpressionParser extends LiteralParser {
  /** CTE lists in scope, outermost first (a subquery sees its enclosing WITH clauses). */
  protected readonly cteScopes: CteAst[][] = [];

  constructor(text: string, private readonly lowerSubquery: SubqueryLowering) {
    super(text);
  }

  /** A whole query (the statement layer's rule), for subqueries. */
  abstract query(): QueryAst;

  /** Parses a whole standalone expression (for `selectExpr` and string filters). */
  parseStandaloneExpression(): Expr & { alias?: string } {
    const e = this.expression();
    const alias = this.optionalAlias();
    if (this.peek().kind !== "eof") this.fail("expected end of expression");
    return alias === null ? e : { type: "alias", expr: e, name: alias, id: -1 };
  }

  expression(): Expr {
    const start = this.peek();
    const e = this.orExpr();
    if (isIntervalMarker(e)) this.fail("an interval can only be added to or subtracted from a date, as in d + INTERVAL '1' DAY", start);
    return e;
  }

  protected orExpr(): Expr {
    let left = this.andExpr();
    while (this.acceptWord("or")) left = { type: "binary", op: "or", left, right: this.andExpr() };
    return left;
  }

  protected andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptWord("and")) left = { type: "binary", op: "and", left, right: this.notExpr() };
    return left;
  }

  protected notExpr(): Expr {
    if (this.acceptWord("not")) return { type: "not", expr: this.notExpr() };
    return this.predicate();
  }

  protected predicate(): Expr {
    if (this.isWord("exists") && this.isOp("(", 1)) {
      this.pos += 2;
      const plan = this.subqueryPlan();
      return { type: "exists", plan, negated: false };
    }
    const left = this.concatExpr();
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && ["=", "==", "!=", "<>", "<", "<=", ">", ">=", "<=>"].includes(t.text)) {
        this.pos++;
        const op = t.text === "<>" ? "!=" : t.text === "==" ? "=" : t.text;
        const right = this.concatExpr();
        return { type: "binary", op: op as "=", left, right };
      }
      if (this.acceptWord("is")) {
        const negated = this.acceptWord("not");
        if (this.acceptWord("null")) return { type: "isNull", expr: left, negated };
        if (this.acceptWord("distinct", "from")) {
          const right = this.concatExpr();
          const same: Expr = { type: "binary", op: "<=>", left, right };
          return negated ? same : { type: "not", expr: same };
        }
        if (this.acceptWord("true")) return eqBool(left, true, negated);
        if (this.acceptWord("false")) return eqBool(left, false, negated);
        this.fail("expected NULL, TRUE, FALSE or DISTINCT FROM after IS");
      }
      const negated = this.isWord("not") && (this.isWord("in", 1) || this.isWord("between", 1) || this.isWord("like", 1) || this.isWord("rlike", 1) || this.isWord("regexp", 1));
      if (negated) this.pos++;
      else if (this.isWord("not")) { this.pos++; this.fail("expected IN, BETWEEN, LIKE or RLIKE after NOT"); }
      if (this.acceptWord("in")) {
        this.expectOp("(", "after IN");
        if (this.isWord("select") || this.isWord("with")) {
          const plan = this.subqueryPlan();
          return { type: "inSubquery", expr: left, plan, negated };
        }
        const list: Expr[] = [];
        do list.push(this.expression()); while (this.acceptOp(","));
        this.expectOp(")", "to close the IN list");
        return { type: "in", expr: left, list, negated };
      }
      if (this.acceptWord("between")) {
        const low = this.concatExpr();
        this.expectWord("and", "in BETWEEN ... AND ...");
        const high = this.concatExpr();
        const range: Expr = {
          type: "binary", op: "and",
          left: { type: "binary", op: ">=", left, right: low },
          right: { type: "binary", op: "<=", left, right: high },
        };
        return negated ? { type: "not", expr: range } : range;
      }
      if (this.acceptWord("like")) return { type: "like", expr: left, pattern: this.concatExpr(), negated, regex: false };
      if (this.acceptWord("rlike") || this.acceptWord("regexp")) return { type: "like", expr: left, pattern: this.concatExpr(), negated, regex: true };
      if (negated) this.fail("expected IN, BETWEEN or LIKE after NOT");
      return left;
    }
  }

  /** After `(` of a subquery: parses the query and the closing `)`, and lowers it. */
  protected subqueryPlan(): LogicalPlan {
    const query = this.query();
    this.expectOp(")", "to close the subquery");
    return this.lowerSubquery(query, this.cteScopes.flat());
  }

  protected concatExpr(): Expr {
    let left = this.additive();
    while (this.acceptOp("||")) left = { type: "call", name: "concat", args: [left, this.additive()] };
    return left;
  }

  protected additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (!(t.kind === "op" && (t.text === "+" || t.text === "-"))) return left;
      this.pos++;
      const right = this.multiplicative();
      if (isIntervalMarker(right)) left = applyInterval(left, right, t.text === "-");
      else if (isIntervalMarker(left)) {
        if (t.text === "-") this.fail("an interval cannot have a date subtracted from it", t);
        left = applyInterval(right, left, false);
      } else left = { type: "binary", op: t.text as "+", left, right };
    }
  }

  protected multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!(t.kind === "op" && (t.text === "*" || t.text === "/" || t.text === "%"))) return left;
      this.pos++;
      left = { type: "binary", op: t.text as "*", left, right: this.unary() };
    }
  }

  protected unary(): Expr {
    if (this.acceptOp("-")) {
      const e = this.unary();
      if (e.type === "literal" && typeof e.value === "number") return { ...e, value: -e.value };
      return { type: "negate", expr: e };
    }
    if (this.acceptOp("+")) return this.unary();
    return this.postfix();
  }

  /** `expr::type` (a Spark/PostgreSQL cast shorthand). */
  protected postfix(): Expr {
    let e = this.primary();
    while (this.acceptOp("::")) e = { type: "cast", expr: e, to: this.typeName() };
    return e;
  }

  protected primary(): Expr {
    const t = this.peek();
    if (t.kind === "number") { this.pos++; return numberLiteral(t.text); }
    if (t.kind === "string") { this.pos++; return { type: "literal", value: t.text, dataType: UTF8 }; }
    if (t.kind === "op" && t.text === "(") {
      this.pos++;
      if (this.isWord("select") || this.isWord("with")) return { type: "scalarSubquery", plan: this.subqueryPlan() };
      const e = this.expression();
      this.expectOp(")", "to close the parenthesis");
      return e;
    }
    if (t.kind === "op" && t.text === "*") this.fail("'*' is only allowed in a select list or count(*)");
    if (t.kind === "quotedIdent") return this.columnOrFunction();
    if (t.kind !== "ident") this.fail("expected an expression");
    const word = t.text.toLowerCase();
    switch (word) {
      case "null": this.pos++; return { type: "literal", value: null, dataType: NULL };
      case "true": this.pos++; return { type: "literal", value: true, dataType: BOOLEAN };
      case "false": this.pos++; return { type: "literal", value: false, dataType: BOOLEAN };
      case "case": this.pos++; return this.caseExpr();
      case "cast": case "try_cast": {
        if (!this.isOp("(", 1)) break;
        this.pos += 2;
        const name = word.toUpperCase();
        const expr = this.expression();
        this.expectWord("as", `in ${name}(expr AS type)`);
        const to = this.typeName();
        this.expectOp(")", `to close ${name}`);
        return word === "cast" ? { type: "cast", expr, to } : { type: "cast", expr, to, onError: "null" };
      }
      case "date": case "timestamp":
        if (this.peek(1).kind === "string") {
          this.pos++;
          const s = this.next();
          return word === "date" ? this.dateLiteral(s) : this.timestampLiteral(s);
        }
        break;
      case "interval": this.pos++; return this.intervalLiteral();
      case "extract": {
        if (!this.isOp("(", 1)) break;
        this.pos += 2;
        const field = this.identifierOrWord("a date field (YEAR, MONTH, DAY, QUARTER) in EXTRACT");
        this.expectWord("from", "in EXTRACT(field FROM expr)");
        const expr = this.expression();
        this.expectOp(")", "to close EXTRACT");
        const fields: Record<string, string> = { year: "year", month: "month", day: "day", quarter: "quarter", dayofweek: "dayofweek", dow: "dayofweek" };
        const fn = fields[field.toLowerCase()];
        if (!fn) this.fail(`unknown EXTRACT field '${field}'; expected YEAR, MONTH, DAY, QUARTER or DAYOFWEEK`, t);
        return { type: "call", name: fn!, args: [expr] };
      }
      case "substring": case "substr": {
        if (!this.isOp("(", 1)) break;
        this.pos += 2;
        const s = this.expression();
        const args = [s];
        if (this.acceptWord("from")) {
          args.push(this.expression());
          if (this.acceptWord("for")) args.push(this.expression());
        } else {
          while (this.acceptOp(",")) args.push(this.expression());
        }
        this.expectOp(")", "to close SUBSTRING");
        return { type: "call", name: "substring", args };
      }
      default: break;
    }
    if (RESERVED.has(word)) this.fail("expected an expression");
    return this.columnOrFunction();
  }

  protected columnOrFunction(): Expr {
    const first = this.next();
    if (this.isOp("(") && first.kind === "ident") return this.functionCall(first);
    const parts = [first.text];
    while (this.isOp(".")) {
      this.pos++;
      const t = this.peek();
      if (t.kind !== "ident" && t.kind !== "quotedIdent") this.fail("expected a column name after '.'");
      this.pos++;
      parts.push(t.text);
    }
    const name = parts.pop()!;
    return parts.length ? { type: "column", name, qualifier: parts.join(".") } : { type: "column", name };
  }

  protected functionCall(nameToken: Token): Expr {
    const lower = nameToken.text.toLowerCase();
    this.expectOp("(", "after the function name");
    let distinct = false;
    const args: Expr[] = [];
    let star = false;
    if (this.isOp("*") && this.isOp(")", 1)) { this.pos++; star = true; }
    else if (!this.isOp(")")) {
      distinct = this.acceptWord("distinct");
      if (!distinct) this.acceptWord("all");
      do args.push(this.expression()); while (this.acceptOp(","));
    }
    this.expectOp(")", `to close the call to ${nameToken.text}`);
    const aggName = AGGREGATE_ALIASES[lower] ?? lower;
    const isAggregate = AGGREGATES.has(aggName);
    if (star && aggName !== "count") this.fail(`'*' is only allowed in count(*), not ${nameToken.text}(*)`, nameToken);
    let call: Expr;
    if (isAggregate) {
      const fn: AggregateFn = star || (aggName === "count" && args.length === 0) ? "count_star" : (aggName as AggregateFn);
      if (fn === "count" && args.length > 1) this.fail("count(DISTINCT a, b) over several columns is not supported; count a concatenation or use a subquery with DISTINCT", nameToken);
      call = { type: "aggregate", fn, args: fn === "count_star" ? [] : args, distinct };
    } else if (RANKING.has(lower)) {
      call = { type: "window", fn: lower as RankingFn, args, spec: { partitionBy: [], orderBy: [], frame: null } };
      if (!this.isWord("over")) this.fail(`${lower}() is a window function and needs OVER (...)`);
    } else {
      if (distinct) this.fail(`DISTINCT is only allowed in aggregate functions, not ${nameToken.text}`, nameToken);
      call = { type: "call", name: lower, args };
    }
    if (this.acceptWord("over")) {
      if (call.type === "call") this.fail(`${nameToken.text} is not an aggregate or window function, so it cannot have OVER`, nameToken);
      if (call.type === "aggregate" && call.distinct) this.fail("DISTINCT is not supported in window aggregates", nameToken);
      const spec = this.windowSpec();
      const fn = call.type === "aggregate" ? call.fn : (call as { fn: RankingFn }).fn;
      return { type: "window", fn, args: call.type === "aggregate" ? call.args : (call as { args: Expr[] }).args, spec };
    }
    return call;
  }

  protected windowSpec() {
    this.expectOp("(", "after OVER");
    const partitionBy = this.byList("partition", () => this.expression());
    const orderBy = this.byList("order", () => this.sortItem());
    let frame: WindowFrame | null = null;
    if (this.isWord("rows") || this.isWord("range")) {
      const unit = this.next().text.toLowerCase() as "rows" | "range";
      if (this.acceptWord("between")) {
        const start = this.frameBound();
        this.expectWord("and", "in the frame BETWEEN ... AND ...");
        frame = { unit, start, end: this.frameBound() };
      } else {
        frame = { unit, start: this.frameBound(), end: { kind: "currentRow" } };
      }
    }
    this.expectOp(")", "to close the window specification");
    return { partitionBy, orderBy, frame };
  }

  protected frameBound(): FrameBound {
    if (this.acceptWord("unbounded")) {
      if (this.acceptWord("preceding")) return { kind: "unboundedPreceding" };
      if (this.acceptWord("following")) return { kind: "unboundedFollowing" };
      this.fail("expected PRECEDING or FOLLOWING after UNBOUNDED");
    }
    if (this.acceptWord("current", "row")) return { kind: "currentRow" };
    const t = this.peek();
    if (t.kind !== "number") this.fail("expected UNBOUNDED, CURRENT ROW or a number in the window frame");
    this.pos++;
    const n = Number(t.text);
    if (this.acceptWord("preceding")) return { kind: "offset", value: -n };
    if (this.acceptWord("following")) return { kind: "offset", value: n };
    return this.fail("expected PRECEDING or FOLLOWING after the frame offset");
  }

  protected caseExpr(): Expr {
    const subject = this.isWord("when") ? null : this.expression();
    const branches: { when: Expr; then: Expr }[] = [];
    while (this.acceptWord("when")) {
      const cond = this.expression();
      this.expectWord("then", "after the WHEN condition");
      const then = this.expression();
      branches.push({ when: subject ? { type: "binary", op: "=", left: subject, right: cond } : cond, then });
    }
    if (branches.length === 0) this.fail("expected WHEN in CASE");
    const otherwise = this.acceptWord("else") ? this.expression() : null;
    this.expectWord("end", "to close CASE");
    return { type: "case", branches, otherwise };
  }

  protected sortItem(): SortOrder {
    const expr = this.expression();
    let ascending = true;
    if (this.acceptWord("desc")) ascending = false;
    else this.acceptWord("asc");
    // Spark's default: NULLS FIRST for ascending, NULLS LAST for descending.
    let nullsFirst = ascending;
    if (this.acceptWord("nulls")) {
      if (this.acceptWord("first")) nullsFirst = true;
      else if (this.acceptWord("last")) nullsFirst = false;
      else this.fail("expected FIRST or LAST after NULLS");
    }
    return { expr, ascending, nullsFirst };
  }
}

function eqBool(e: Expr, value: boolean, negated: boolean): Expr {
  // IS TRUE / IS FALSE never return NULL: coalesce(e = value, false).
  const test: Expr = { type: "call", name: "coalesce", args: [{ type: "binary", op: "=", left: e, right: { type: "literal", value, dataType: BOOLEAN } }, { type: "literal", value: false, dataType: BOOLEAN }] };
  return negated ? { type: "not", expr: test } : test;
}
