/**
 * A hand-written recursive-descent parser for the Spark SQL dialect subset
 * Cinder runs (see issue 3 for the list). Hand-written rather than an npm
 * parser because: we control every error position and message (the caret
 * excerpt points at the token that broke, and says what was expected), we
 * follow Spark's dialect (`"..."` strings, backquoted identifiers,
 * `LEFT SEMI/ANTI JOIN`, `<=>`, `interval '3' month`, `extract`, `substring
 * (x FROM a FOR b)`) where node-sql-parser and sql-parser-cst have no Spark
 * mode, the AST is typed and is the plan's own `Expr`, and there is no
 * dependency to ship to browsers and edge workers (dt-sql-parser's ANTLR
 * Spark grammar is 1.4 MB). Spark's `SqlBaseParser.g4` is the reference for
 * precedence: OR < AND < NOT < comparison/IN/BETWEEN/LIKE/IS < || < + - <
 * * / % < unary minus < primary.
 */
import type { Expr, SortOrder } from "../plan/expressions.ts";
import type { AggregateFn, FrameBound, RankingFn, WindowFrame } from "../types/operations.ts";
import type { DataType } from "../types/data-types.ts";
import { DATE32, FLOAT64, INT32, INT64, NULL, BOOLEAN, UTF8, TIMESTAMP, decimal, parseTypeName } from "../types/data-types.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { JoinType } from "../types/operations.ts";
import { CinderError } from "../common/errors.ts";
import type { Token } from "./lexer.ts";
import { parseErrorAt, tokenize } from "./lexer.ts";
import type { CteAst, FromItem, HintAst, QueryAst, QueryBody, SelectAst, SelectItem, StatementAst } from "./ast.ts";

/** Lowers a subquery met inside an expression, seeing the CTEs in scope at that point. */
export type SubqueryLowering = (query: QueryAst, ctes: readonly CteAst[]) => LogicalPlan;

const AGGREGATES = new Set<string>(["sum", "avg", "count", "min", "max", "first"]);
const AGGREGATE_ALIASES: Record<string, AggregateFn> = { mean: "avg", first_value: "first" };
const RANKING = new Set<string>(["row_number", "rank", "dense_rank", "lag", "lead"]);

/** Words that open a query-organization clause only when BY follows; columns may still be named so. */
const ORGANIZATION_WORDS = new Set(["distribute", "cluster", "sort"]);

/** Words that end an expression or a FROM item, so they are never taken as an implicit alias. */
const RESERVED = new Set([
  "select", "from", "where", "group", "having", "order", "limit", "offset", "union", "intersect", "except", "minus",
  "join", "inner", "left", "right", "full", "outer", "cross", "semi", "anti", "on", "using", "and", "or", "not",
  "as", "by", "case", "when", "then", "else", "end", "in", "is", "like", "rlike", "between", "exists", "distinct",
  "all", "with", "null", "true", "false", "asc", "desc", "nulls", "over", "partition", "rows", "range", "window",
  "natural", "lateral", "interval", "cast", "create", "view", "into", "values", "escape",
]);

const MS_PER_DAY = 86_400_000;

export class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** CTE lists in scope, outermost first (a subquery sees its enclosing WITH clauses). */
  private readonly cteScopes: CteAst[][] = [];

  constructor(private readonly text: string, private readonly lowerSubquery: SubqueryLowering) {
    this.tokens = tokenize(text);
  }

  // ---- token helpers -------------------------------------------------------

  private peek(ahead = 0): Token { return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!; }
  private next(): Token { const t = this.peek(); if (t.kind !== "eof") this.pos++; return t; }

  /** True when the token `ahead` is the keyword `word` (case-insensitive, never a quoted identifier). */
  private isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "ident" && t.text.toLowerCase() === word;
  }
  private isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "op" && t.text === op;
  }
  private acceptWord(...words: string[]): boolean {
    if (!words.every((w, i) => this.isWord(w, i))) return false;
    this.pos += words.length;
    return true;
  }
  private acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }
  private expectWord(word: string, context: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word.toUpperCase()} ${context}`);
  }
  private expectOp(op: string, context: string): void {
    if (!this.acceptOp(op)) this.fail(`expected '${op}' ${context}`);
  }

  private describe(t: Token): string {
    if (t.kind === "eof") return "end of input";
    if (t.kind === "string") return `string '${t.text}'`;
    return `'${t.text}'`;
  }

  /** Throws a ParseError at the current token: "<what was expected>, found <token>". */
  fail(message: string, at?: Token): never {
    // With an explicit token the message already names what is wrong with it.
    const t = at ?? this.peek();
    throw parseErrorAt(this.text, t.line, t.column, at ? message : `${message}, found ${this.describe(t)}`);
  }

  // ---- statements ----------------------------------------------------------

  parseStatement(): StatementAst {
    const statement = this.statement();
    this.acceptOp(";");
    if (this.peek().kind !== "eof") this.fail("expected end of statement");
    return statement;
  }

  private statement(): StatementAst {
    if (this.acceptWord("show")) {
      if (!this.acceptWord("tables") && !this.acceptWord("views")) this.fail("expected TABLES after SHOW");
      return { kind: "showTables" };
    }
    if (this.acceptWord("describe") || this.acceptWord("desc")) {
      this.acceptWord("table");
      return { kind: "describe", name: this.qualifiedName("a table name after DESCRIBE") };
    }
    if (this.acceptWord("explain")) {
      this.acceptWord("extended") || this.acceptWord("formatted");
      return { kind: "explain", query: this.query() };
    }
    if (this.acceptWord("create")) {
      const replace = this.acceptWord("or", "replace");
      if (!this.acceptWord("temporary") && !this.acceptWord("temp")) this.fail("expected TEMP VIEW after CREATE (only temporary views are supported)");
      this.expectWord("view", "after CREATE TEMP");
      const name = this.qualifiedName("a view name");
      this.expectWord("as", "after the view name");
      return { kind: "createView", name, replace, query: this.query() };
    }
    if (!this.isWord("select") && !this.isWord("with") && !this.isOp("(")) this.fail("expected SELECT, WITH, CREATE TEMP VIEW, SHOW TABLES, DESCRIBE or EXPLAIN");
    return { kind: "query", query: this.query() };
  }

  private qualifiedName(what: string): string {
    const parts = [this.identifier(what)];
    while (this.acceptOp(".")) parts.push(this.identifier(what));
    return parts.join(".");
  }

  private identifier(what: string): string {
    const t = this.peek();
    if (t.kind === "quotedIdent") { this.pos++; return t.text; }
    if (t.kind === "ident" && !RESERVED.has(t.text.toLowerCase())) { this.pos++; return t.text; }
    return this.fail(`expected ${what}`);
  }

  // ---- queries -------------------------------------------------------------

  /** query := [WITH cte, ...] body [ORDER BY ...] [CLUSTER BY ... | DISTRIBUTE BY ... [SORT BY ...] | SORT BY ...] [LIMIT n] [OFFSET n] */
  query(): QueryAst {
    const ctes: CteAst[] = [];
    this.cteScopes.push(ctes);
    try {
      if (this.acceptWord("with")) {
        do {
          const name = this.identifier("a CTE name after WITH");
          const columnAliases = this.isOp("(") ? this.identifierList() : [];
          this.expectWord("as", `after the CTE name '${name}'`);
          this.expectOp("(", "before the CTE query");
          const query = this.query();
          this.expectOp(")", "after the CTE query");
          ctes.push({ name, columnAliases, query });
        } while (this.acceptOp(","));
      }
      const body = this.setExpression();
      const orderBy = this.byList("order", () => this.sortItem());
      let distributeBy = this.byList("cluster", () => this.expression());
      let sortBy: SortOrder[] = distributeBy.map((expr) => ({ expr, ascending: true, nullsFirst: true }));
      if (distributeBy.length === 0) {
        distributeBy = this.byList("distribute", () => this.expression());
        sortBy = this.byList("sort", () => this.sortItem());
      }
      let limit: number | null = null, offset = 0;
      if (this.acceptWord("limit")) limit = this.acceptWord("all") ? null : this.integer("a row count after LIMIT");
      if (this.acceptWord("offset")) offset = this.integer("a row count after OFFSET");
      return { kind: "query", with: ctes, body, orderBy, distributeBy, sortBy, limit, offset };
    } finally {
      this.cteScopes.pop();
    }
  }

  /** `WORD BY item, ...` (GROUP, ORDER, PARTITION, DISTRIBUTE, CLUSTER, SORT): the items, or none when WORD is absent. */
  private byList<T>(word: string, item: () => T): T[] {
    const items: T[] = [];
    if (!this.acceptWord(word)) return items;
    this.expectWord("by", `after ${word.toUpperCase()}`);
    do items.push(item()); while (this.acceptOp(","));
    return items;
  }

  private integer(what: string): number {
    const t = this.peek();
    if (t.kind !== "number" || !/^[0-9]+$/.test(t.text)) this.fail(`expected ${what}`);
    this.pos++;
    return Number(t.text);
  }

  private identifierList(): string[] {
    this.expectOp("(", "before the column names");
    const names: string[] = [];
    do names.push(this.identifier("a column name")); while (this.acceptOp(","));
    this.expectOp(")", "after the column names");
    return names;
  }

  /** UNION/EXCEPT are left-associative and bind looser than INTERSECT (the SQL standard, as Spark). */
  private setExpression(): QueryBody {
    let left = this.intersectTerm();
    for (;;) {
      let op: "union" | "except" | null = null;
      if (this.acceptWord("union")) op = "union";
      else if (this.acceptWord("except") || this.acceptWord("minus")) op = "except";
      if (!op) return left;
      const all = this.acceptWord("all");
      if (!all) this.acceptWord("distinct");
      left = { kind: "setOp", op, all, left, right: this.intersectTerm() };
    }
  }

  private intersectTerm(): QueryBody {
    let left = this.queryPrimary();
    while (this.acceptWord("intersect")) {
      const all = this.acceptWord("all");
      if (!all) this.acceptWord("distinct");
      left = { kind: "setOp", op: "intersect", all, left, right: this.queryPrimary() };
    }
    return left;
  }

  private queryPrimary(): QueryBody {
    if (this.acceptOp("(")) {
      const query = this.query();
      this.expectOp(")", "to close the parenthesized query");
      return { kind: "nested", query };
    }
    return this.select();
  }

  private select(): SelectAst {
    this.expectWord("select", "to start a query");
    const hints = this.acceptOp("/*+") ? this.hints() : [];
    const distinct = this.acceptWord("distinct");
    if (!distinct) this.acceptWord("all");
    const items: SelectItem[] = [];
    do items.push(this.selectItem()); while (this.acceptOp(","));
    const from: FromItem[] = [];
    if (this.acceptWord("from")) {
      do from.push(this.fromItem()); while (this.acceptOp(","));
    }
    const where = this.acceptWord("where") ? this.expression() : null;
    const groupBy = this.byList("group", () => this.expression());
    const having = this.acceptWord("having") ? this.expression() : null;
    return { kind: "select", hints, distinct, items, from, where, groupBy, having };
  }

  /** The hints between `/*+` and the closing star-slash: NAME or NAME(args), separated by commas or spaces (Spark's hint syntax). */
  private hints(): HintAst[] {
    const hints: HintAst[] = [];
    while (!this.acceptOp("*/")) {
      const at = this.peek();
      const name = this.identifier("a hint name").toUpperCase();
      const position = { line: at.line, column: at.column };
      const args: { expr: Expr; token: Token }[] = [];
      if (this.acceptOp("(") && !this.acceptOp(")")) {
        do args.push({ token: this.peek(), expr: this.expression() }); while (this.acceptOp(","));
        this.expectOp(")", `to close the ${name} hint's arguments`);
      }
      const count = (a: { expr: Expr; token: Token } | undefined): number | null => {
        if (a?.expr.type !== "literal" || typeof a.expr.value !== "number") return null;
        if (!Number.isInteger(a.expr.value) || a.expr.value < 1) this.fail(`the ${name} hint's partition count must be a positive integer`, a.token);
        return a.expr.value;
      };
      if (name === "BROADCAST" || name === "BROADCASTJOIN" || name === "MAPJOIN") {
        if (args.length === 0) this.fail(`the ${name} hint names the relations to broadcast, e.g. /*+ ${name}(t) */`, at);
        const tables = args.map(({ expr, token }) => {
          if (expr.type !== "column" || expr.qualifier !== undefined) this.fail(`the ${name} hint takes table names or aliases`, token);
          return { name: expr.name, position: { line: token.line, column: token.column } };
        });
        hints.push({ kind: "broadcast", tables, position });
      } else if (name === "COALESCE") {
        const n = count(args[0]);
        if (args.length !== 1 || n === null) this.fail("the COALESCE hint takes one partition count, e.g. /*+ COALESCE(4) */", at);
        hints.push({ kind: "repartition", mode: "coalesce", numPartitions: n, keys: [], position });
      } else if (name === "REPARTITION" || name === "REPARTITION_BY_RANGE") {
        const n = count(args[0]);
        const keys = args.slice(n === null ? 0 : 1).map((a) => a.expr);
        const range = name === "REPARTITION_BY_RANGE";
        if (n === null && keys.length === 0) this.fail(`the ${name} hint takes a partition count, columns or both, e.g. /*+ ${name}(8, k) */`, at);
        if (range && keys.length === 0) this.fail("the REPARTITION_BY_RANGE hint takes at least one column to partition by", at);
        hints.push({ kind: "repartition", mode: range ? "range" : keys.length ? "hash" : "roundRobin", numPartitions: n, keys, position });
      } else {
        this.fail(`unknown hint ${name}; Cinder reads BROADCAST (BROADCASTJOIN, MAPJOIN), REPARTITION, REPARTITION_BY_RANGE and COALESCE`, at);
      }
      this.acceptOp(",");
    }
    return hints;
  }

  private selectItem(): SelectItem {
    if (this.isOp("*")) { this.pos++; return { expr: { type: "star" }, alias: null }; }
    const t = this.peek();
    if ((t.kind === "ident" || t.kind === "quotedIdent") && this.isOp(".", 1) && this.isOp("*", 2)) {
      this.pos += 3;
      return { expr: { type: "star", qualifier: t.text }, alias: null };
    }
    const expr = this.expression();
    return { expr, alias: this.optionalAlias() };
  }

  /** `AS name` or a bare name that is not a reserved word (nor DISTRIBUTE, CLUSTER or SORT opening their BY clause). */
  private optionalAlias(): string | null {
    if (this.acceptWord("as")) return this.identifier("an alias after AS");
    const t = this.peek();
    if (t.kind === "ident" && ORGANIZATION_WORDS.has(t.text.toLowerCase()) && this.isWord("by", 1)) return null;
    if (t.kind === "quotedIdent" || (t.kind === "ident" && !RESERVED.has(t.text.toLowerCase()))) { this.pos++; return t.text; }
    return null;
  }

  private fromItem(): FromItem {
    let left = this.fromPrimary();
    for (;;) {
      const joinType = this.joinKeyword();
      if (!joinType) return left;
      const right = this.fromPrimary();
      let on: Expr | null = null, using: string[] = [];
      if (this.acceptWord("on")) on = this.expression();
      else if (this.acceptWord("using")) using = this.identifierList();
      else if (joinType !== "cross") this.fail("expected ON or USING after the joined table");
      left = { kind: "join", left, right, joinType, on, using };
    }
  }

  private joinKeyword(): JoinType | null {
    if (this.acceptWord("join") || this.acceptWord("inner", "join")) return "inner";
    if (this.acceptWord("cross", "join")) return "cross";
    if (this.acceptWord("left", "semi", "join") || this.acceptWord("semi", "join")) return "left_semi";
    if (this.acceptWord("left", "anti", "join") || this.acceptWord("anti", "join")) return "left_anti";
    if (this.acceptWord("left", "outer", "join") || this.acceptWord("left", "join")) return "left";
    if (this.acceptWord("right", "outer", "join") || this.acceptWord("right", "join")) return "right";
    if (this.acceptWord("full", "outer", "join") || this.acceptWord("full", "join")) return "full";
    if (this.isWord("natural")) this.fail("NATURAL JOIN is not supported; use JOIN ... USING (columns)");
    if (this.isWord("inner") || this.isWord("left") || this.isWord("right") || this.isWord("full") || this.isWord("cross")) {
      this.pos++;
      this.fail("expected JOIN");
    }
    return null;
  }

  private fromPrimary(): FromItem {
    if (this.acceptOp("(")) {
      if (!this.isWord("select") && !this.isWord("with") && !this.isOp("(")) {
        // A parenthesized join: (a JOIN b ON ...)
        const inner = this.fromItem();
        this.expectOp(")", "to close the parenthesized FROM item");
        return inner;
      }
      const query = this.query();
      this.expectOp(")", "to close the subquery in FROM");
      const alias = this.optionalAlias();
      const columnAliases = alias !== null && this.isOp("(") ? this.identifierList() : [];
      return { kind: "subquery", query, alias, columnAliases };
    }
    const t = this.peek();
    const name = this.qualifiedName("a table name or a subquery in FROM");
    const alias = this.optionalAlias();
    const columnAliases = alias !== null && this.isOp("(") ? this.identifierList() : [];
    return { kind: "table", name, alias, columnAliases, position: { line: t.line, column: t.column } };
  }

  private sortItem(): SortOrder {
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

  // ---- expressions -----------------------------------------------------------

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

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.acceptWord("or")) left = { type: "binary", op: "or", left, right: this.andExpr() };
    return left;
  }

  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.acceptWord("and")) left = { type: "binary", op: "and", left, right: this.notExpr() };
    return left;
  }

  private notExpr(): Expr {
    if (this.acceptWord("not")) return { type: "not", expr: this.notExpr() };
    return this.predicate();
  }

  private predicate(): Expr {
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
  private subqueryPlan(): LogicalPlan {
    const query = this.query();
    this.expectOp(")", "to close the subquery");
    return this.lowerSubquery(query, this.cteScopes.flat());
  }

  private concatExpr(): Expr {
    let left = this.additive();
    while (this.acceptOp("||")) left = { type: "call", name: "concat", args: [left, this.additive()] };
    return left;
  }

  private additive(): Expr {
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

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!(t.kind === "op" && (t.text === "*" || t.text === "/" || t.text === "%"))) return left;
      this.pos++;
      left = { type: "binary", op: t.text as "*", left, right: this.unary() };
    }
  }

  private unary(): Expr {
    if (this.acceptOp("-")) {
      const e = this.unary();
      if (e.type === "literal" && typeof e.value === "number") return { ...e, value: -e.value };
      return { type: "negate", expr: e };
    }
    if (this.acceptOp("+")) return this.unary();
    return this.postfix();
  }

  /** `expr::type` (a Spark/PostgreSQL cast shorthand). */
  private postfix(): Expr {
    let e = this.primary();
    while (this.acceptOp("::")) e = { type: "cast", expr: e, to: this.typeName() };
    return e;
  }

  private primary(): Expr {
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
      case "cast": {
        if (!this.isOp("(", 1)) break;
        this.pos += 2;
        const expr = this.expression();
        this.expectWord("as", "in CAST(expr AS type)");
        const to = this.typeName();
        this.expectOp(")", "to close CAST");
        return { type: "cast", expr, to };
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

  private identifierOrWord(what: string): string {
    const t = this.peek();
    if (t.kind === "ident" || t.kind === "quotedIdent") { this.pos++; return t.text; }
    return this.fail(`expected ${what}`);
  }

  private columnOrFunction(): Expr {
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

  private functionCall(nameToken: Token): Expr {
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

  private windowSpec() {
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

  private frameBound(): FrameBound {
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

  private caseExpr(): Expr {
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

  private typeName(): DataType {
    const start = this.peek();
    const words: string[] = [];
    while (this.peek().kind === "ident" && (words.length === 0 || this.isWord("precision"))) words.push(this.next().text);
    if (words.length === 0) this.fail("expected a type name");
    let text = words.join(" ");
    if (this.acceptOp("(")) {
      const args = [this.integer("a type parameter")];
      while (this.acceptOp(",")) args.push(this.integer("a type parameter"));
      this.expectOp(")", "to close the type parameters");
      text += `(${args.join(",")})`;
    }
    try {
      return parseTypeName(text);
    } catch (e) {
      if (CinderError.is(e)) throw parseErrorAt(this.text, start.line, start.column, `unknown type '${text}'`);
      throw e;
    }
  }

  private dateLiteral(s: Token): Expr {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s.text.trim());
    const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    const check = new Date(ms);
    if (!m || Number.isNaN(ms) || check.getUTCDate() !== Number(m[3])) this.fail(`invalid date '${s.text}'; expected 'YYYY-MM-DD'`, s);
    return { type: "literal", value: Math.round(ms / MS_PER_DAY), dataType: DATE32 };
  }

  private timestampLiteral(s: Token): Expr {
    const text = s.text.trim().replace(" ", "T");
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
    if (Number.isNaN(ms)) this.fail(`invalid timestamp '${s.text}'; expected 'YYYY-MM-DD HH:MM:SS'`, s);
    return { type: "literal", value: ms * 1000, dataType: TIMESTAMP };
  }

  /** `interval '3' month`, `interval 3 months`, `interval '90' day (3)`: a marker the additive level turns into date arithmetic. */
  private intervalLiteral(): Expr {
    const t = this.peek();
    let amount: number;
    if (t.kind === "string" || t.kind === "number") {
      this.pos++;
      amount = Number(t.text.trim());
      if (!Number.isInteger(amount)) this.fail("expected a whole number of units in the interval", t);
    } else if (this.isOp("-") && this.peek(1).kind === "number") {
      this.pos++;
      amount = -Number(this.next().text);
    } else return this.fail("expected the interval amount, as in INTERVAL '3' MONTH");
    const unitToken = this.peek();
    const unit = unitToken.kind === "ident" ? unitToken.text.toLowerCase().replace(/s$/, "") : "";
    if (!["day", "week", "month", "year"].includes(unit)) this.fail("expected DAY, WEEK, MONTH or YEAR after the interval amount");
    this.pos++;
    if (this.isOp("(") && this.peek(1).kind === "number" && this.isOp(")", 2)) this.pos += 3; // `day (3)`: precision, ignored
    const days = unit === "week" ? amount * 7 : amount;
    const months = unit === "year" ? amount * 12 : amount;
    const byMonths = unit === "month" || unit === "year";
    return { type: "call", name: INTERVAL_MARKER, args: [{ type: "literal", value: byMonths ? months : days, dataType: INT32 }, { type: "literal", value: byMonths ? "month" : "day", dataType: UTF8 }] };
  }
}

const INTERVAL_MARKER = "__interval";

function isIntervalMarker(e: Expr): e is Extract<Expr, { type: "call" }> {
  return e.type === "call" && e.name === INTERVAL_MARKER;
}

/** `d + interval` / `d - interval`: days become date_add/date_sub, months and years add_months. */
function applyInterval(date: Expr, interval: Extract<Expr, { type: "call" }>, subtract: boolean): Expr {
  const amount = (interval.args[0] as { value: number }).value;
  const unit = (interval.args[1] as { value: string }).value;
  const lit = (n: number): Expr => ({ type: "literal", value: n, dataType: INT32 });
  if (unit === "month") return { type: "call", name: "add_months", args: [date, lit(subtract ? -amount : amount)] };
  return { type: "call", name: subtract ? "date_sub" : "date_add", args: [date, lit(amount)] };
}

function eqBool(e: Expr, value: boolean, negated: boolean): Expr {
  // IS TRUE / IS FALSE never return NULL: coalesce(e = value, false).
  const test: Expr = { type: "call", name: "coalesce", args: [{ type: "binary", op: "=", left: e, right: { type: "literal", value, dataType: BOOLEAN } }, { type: "literal", value: false, dataType: BOOLEAN }] };
  return negated ? { type: "not", expr: test } : test;
}

/** Spark's literal typing: whole numbers are int (or bigint when larger), `1.5` is an exact decimal, `1e3` and `1.5d` are double, `10L` bigint. */
export function numberLiteral(text: string): Expr {
  const suffix = text.slice(-1).toLowerCase();
  if (suffix === "l") return { type: "literal", value: Number(text.slice(0, -1)), dataType: INT64 };
  if (suffix === "d" || /e/i.test(text)) return { type: "literal", value: Number(suffix === "d" ? text.slice(0, -1) : text), dataType: FLOAT64 };
  if (!text.includes(".")) {
    const n = Number(text);
    return { type: "literal", value: n, dataType: Math.abs(n) < 2 ** 31 ? INT32 : INT64 };
  }
  const [whole, frac = ""] = text.split(".") as [string, string?];
  const digits = (whole.replace(/^0+/, "") + frac).replace(/^0+/, "") || "0";
  const scale = frac.length;
  const precision = Math.max(digits.length, scale, 1);
  if (precision > 38 || precision > 15) return { type: "literal", value: Number(text), dataType: FLOAT64 };
  return { type: "literal", value: Number(whole + frac), dataType: decimal(precision, scale) };
}

/** Parses one SQL statement to its AST. */
export function parseStatementAst(text: string, lowerSubquery: SubqueryLowering): StatementAst {
  return new Parser(text, lowerSubquery).parseStatement();
}
