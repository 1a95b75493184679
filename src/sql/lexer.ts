/**
 * The SQL lexer: turns text into tokens that remember where they start
 * (offset, line, column), so every parse error can point at the exact
 * character. Keywords are not distinguished here: an identifier token is
 * matched case-insensitively by the parser, which lets non-reserved words
 * (`year`, `day`, `date`, `first`) still be used as column names.
 */
import { ParseError } from "../common/errors.ts";

export type TokenKind = "ident" | "quotedIdent" | "string" | "number" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  /** Identifier or operator text as written; a string literal's value with quotes removed. */
  text: string;
  offset: number;
  line: number;
  column: number;
}

/** The line `line` (1-based) of `text` with a caret under `column`: the excerpt of every ParseError. */
export function caretExcerpt(text: string, line: number, column: number): string {
  const source = text.split(/\r?\n/)[line - 1] ?? "";
  return `${source}\n${" ".repeat(Math.max(0, column - 1))}^`;
}

/** A ParseError at a position of `text`. */
export function parseErrorAt(text: string, line: number, column: number, message: string): ParseError {
  return new ParseError(message, line, column, caretExcerpt(text, line, column));
}

const OPERATORS = ["<=>", "<>", "!=", "<=", ">=", "||", "::", "=", "<", ">", "+", "-", "*", "/", "%", "(", ")", ",", ".", ";"];

/**
 * Splits `text` into tokens; the last one is always `eof`. A comment that
 * opens with `/*+` straight after SELECT is a hint (Spark's syntax): its
 * content is tokenized between the operator `/*+` and the closing star-slash, so the parser
 * reads it and its errors point inside it; any other comment is skipped.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0, line = 1, lineStart = 0;
  let hintStart: { offset: number; line: number; column: number } | null = null;
  const n = text.length;
  const here = () => ({ offset: i, line, column: i - lineStart + 1 });
  const fail = (at: { line: number; column: number }, message: string): never => {
    throw parseErrorAt(text, at.line, at.column, message);
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") { i++; line++; lineStart = i; continue; }
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (c === "-" && text[i + 1] === "-") { while (i < n && text[i] !== "\n") i++; continue; }
    if (hintStart && c === "*" && text[i + 1] === "/") {
      tokens.push({ kind: "op", text: "*/", ...here() });
      i += 2;
      hintStart = null;
      continue;
    }
    const previous = tokens.at(-1);
    if (!hintStart && text.startsWith("/*+", i) && previous?.kind === "ident" && previous.text.toLowerCase() === "select") {
      hintStart = here();
      tokens.push({ kind: "op", text: "/*+", ...hintStart });
      i += 3;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const start = here();
      i += 2;
      while (i < n && !(text[i] === "*" && text[i + 1] === "/")) {
        if (text[i] === "\n") { line++; lineStart = i + 1; }
        i++;
      }
      if (i >= n) fail(start, "unterminated /* comment; close it with */");
      i += 2;
      continue;
    }
    const start = here();
    if (c === "'" || c === '"' || c === "`") {
      // '...' and "..." are strings (Spark's default dialect); `...` is a quoted identifier.
      let value = "";
      i++;
      for (;;) {
        if (i >= n) fail(start, `unterminated ${c === "`" ? "quoted identifier" : "string literal"}; add the closing ${c}`);
        const d = text[i]!;
        if (d === c) {
          if (text[i + 1] === c) { value += c; i += 2; continue; }
          i++;
          break;
        }
        if (d === "\\" && c !== "`" && i + 1 < n) {
          const e = text[i + 1]!;
          value += e === "n" ? "\n" : e === "t" ? "\t" : e;
          i += 2;
          continue;
        }
        if (d === "\n") { line++; lineStart = i + 1; }
        value += d;
        i++;
      }
      tokens.push({ kind: c === "`" ? "quotedIdent" : "string", text: value, ...start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[lLdD]?/.exec(text.slice(i))!;
      if (/[A-Za-z_]/.test(text[i + m[0].length] ?? "")) fail(here(), `malformed number '${m[0]}${text[i + m[0].length]}'`);
      tokens.push({ kind: "number", text: m[0], ...start });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ kind: "ident", text: m[0], ...start });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) fail(start, `unexpected character '${c}'`);
    tokens.push({ kind: "op", text: op!, ...start });
    i += op!.length;
  }
  if (hintStart) fail(hintStart, "unterminated /*+ hint; close it with */");
  tokens.push({ kind: "eof", text: "", ...here() });
  return tokens;
}
