/**
 * Cuts SQL text typed into `cinder shell` into statements at top-level
 * semicolons, carried across lines: a `;` inside a string ('it''s;'), a
 * quoted identifier ("a;b", `a;b`), a `--` line comment or a block comment
 * does not end a statement. Written by hand because the SQL lexer wants
 * whole statements and throws on the unfinished ones a shell sees mid-typing.
 */

/** Accumulates typed lines and hands out each finished statement (without its `;`). */
export class StatementSplitter {
  private buffer = "";

  /** Adds one line of input; returns the statements it completed, trimmed, empty ones dropped. */
  push(line: string): string[] {
    this.buffer += this.buffer ? `\n${line}` : line;
    const out: string[] = [];
    let start = 0;
    const s = this.buffer;
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === "'" || c === '"' || c === "`") {
        const end = closingQuote(s, i);
        if (end < 0) break;
        i = end + 1;
      } else if (c === "-" && s[i + 1] === "-") {
        const nl = s.indexOf("\n", i);
        if (nl < 0) break;
        i = nl + 1;
      } else if (c === "/" && s[i + 1] === "*") {
        const close = s.indexOf("*/", i + 2);
        if (close < 0) break;
        i = close + 2;
      } else if (c === ";") {
        const statement = s.slice(start, i).trim();
        if (statement && !onlyComments(statement)) out.push(statement);
        start = ++i;
      } else i++;
    }
    this.buffer = s.slice(start);
    if (onlyComments(this.buffer)) this.buffer = "";
    return out;
  }

  /** True while a statement has been started but not ended by `;`. */
  get pending(): boolean {
    return this.buffer.trim() !== "";
  }

  /** The unfinished statement, if any, and clears it (at end of input). */
  rest(): string {
    const text = this.buffer.trim();
    this.buffer = "";
    return text;
  }
}

/** Index of the quote closing the one at `open` (a doubled quote is an escaped one), or -1. */
function closingQuote(s: string, open: number): number {
  const q = s[open]!;
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] !== q) continue;
    if (s[i + 1] === q) { i++; continue; }
    return i;
  }
  return -1;
}

/** True when the text holds nothing but whitespace and complete `--` comments. */
function onlyComments(text: string): boolean {
  return text.split("\n").every((l) => l.trim() === "" || l.trim().startsWith("--"));
}
