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
 * Spark grammar is 1.4 MB). One layer a file: tokens (token-cursor.ts),
 * types and literals (literal-parser.ts), expressions
 * (expression-parser.ts), and here statements and queries.
 */
import type { Expr, SortOrder } from "../plan/expressions.ts";
import type { JoinType } from "../types/operations.ts";
import type { Token } from "./lexer.ts";
import type { CteAst, FromItem, HintAst, QueryAst, QueryBody, SelectAst, SelectItem, StatementAst } from "./ast.ts";
import { ExpressionParser } from "./expression-parser.ts";

export class Parser extends ExpressionParser {
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
}
