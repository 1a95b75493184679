/**
 * The bottom layer of the SQL parser: a cursor over the lexer's tokens with
 * the lookahead, accept and expect steps every grammar rule uses, the
 * identifier rules (reserved words are never names), and the ParseError
 * that points a caret at the token that broke.
 */
import type { Token } from "./lexer.ts";
import { parseErrorAt, tokenize } from "./lexer.ts";

/** Words that open a query-organization clause only when BY follows; columns may still be named so. */
const ORGANIZATION_WORDS = new Set(["distribute", "cluster", "sort"]);

/** Words that end an expression or a FROM item, so they are never taken as an implicit alias. */
export const RESERVED = new Set([
  "select", "from", "where", "group", "having", "order", "limit", "offset", "union", "intersect", "except", "minus",
  "join", "inner", "left", "right", "full", "outer", "cross", "semi", "anti", "on", "using", "and", "or", "not",
  "as", "by", "case", "when", "then", "else", "end", "in", "is", "like", "rlike", "between", "exists", "distinct",
  "all", "with", "null", "true", "false", "asc", "desc", "nulls", "over", "partition", "rows", "range", "window",
  "natural", "lateral", "interval", "cast", "create", "view", "into", "values", "escape",
]);

export class TokenCursor {
  protected readonly tokens: Token[];
  protected pos = 0;

  constructor(protected readonly text: string) {
    this.tokens = tokenize(text);
  }

  protected peek(ahead = 0): Token { return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!; }
  protected next(): Token { const t = this.peek(); if (t.kind !== "eof") this.pos++; return t; }
  /** True when the token `ahead` is the keyword `word` (case-insensitive, never a quoted identifier). */
  protected isWord(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "ident" && t.text.toLowerCase() === word;
  }

  protected isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === "op" && t.text === op;
  }

  protected acceptWord(...words: string[]): boolean {
    if (!words.every((w, i) => this.isWord(w, i))) return false;
    this.pos += words.length;
    return true;
  }

  protected acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.pos++;
    return true;
  }

  protected expectWord(word: string, context: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word.toUpperCase()} ${context}`);
  }

  protected expectOp(op: string, context: string): void {
    if (!this.acceptOp(op)) this.fail(`expected '${op}' ${context}`);
  }

  protected describe(t: Token): string {
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

  protected qualifiedName(what: string): string {
    const parts = [this.identifier(what)];
    while (this.acceptOp(".")) parts.push(this.identifier(what));
    return parts.join(".");
  }

  protected identifier(what: string): string {
    const t = this.peek();
    if (t.kind === "quotedIdent") { this.pos++; return t.text; }
    if (t.kind === "ident" && !RESERVED.has(t.text.toLowerCase())) { this.pos++; return t.text; }
    return this.fail(`expected ${what}`);
  }

  protected identifierOrWord(what: string): string {
    const t = this.peek();
    if (t.kind === "ident" || t.kind === "quotedIdent") { this.pos++; return t.text; }
    return this.fail(`expected ${what}`);
  }

  /** `WORD BY item, ...` (GROUP, ORDER, PARTITION, DISTRIBUTE, CLUSTER, SORT): the items, or none when WORD is absent. */
  protected byList<T>(word: string, item: () => T): T[] {
    const items: T[] = [];
    if (!this.acceptWord(word)) return items;
    this.expectWord("by", `after ${word.toUpperCase()}`);
    do items.push(item()); while (this.acceptOp(","));
    return items;
  }

  protected integer(what: string): number {
    const t = this.peek();
    if (t.kind !== "number" || !/^[0-9]+$/.test(t.text)) this.fail(`expected ${what}`);
    this.pos++;
    return Number(t.text);
  }

  protected identifierList(): string[] {
    this.expectOp("(", "before the column names");
    const names: string[] = [];
    do names.push(this.identifier("a column name")); while (this.acceptOp(","));
    this.expectOp(")", "after the column names");
    return names;
  }

  /** `AS name` or a bare name that is not a reserved word (nor DISTRIBUTE, CLUSTER or SORT opening their BY clause). */
  protected optionalAlias(): string | null {
    if (this.acceptWord("as")) return this.identifier("an alias after AS");
    const t = this.peek();
    if (t.kind === "ident" && ORGANIZATION_WORDS.has(t.text.toLowerCase()) && this.isWord("by", 1)) return null;
    if (t.kind === "quotedIdent" || (t.kind === "ident" && !RESERVED.has(t.text.toLowerCase()))) { this.pos++; return t.text; }
    return null;
  }
}
