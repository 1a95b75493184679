/**
 * Type names and typed literals in SQL text: `decimal(10,2)`, `DATE
 * '1998-12-01'`, `TIMESTAMP '...'`, number literals typed as Spark types
 * them, and `INTERVAL '3' MONTH`, which the expression layer turns into date
 * arithmetic.
 */
import type { Expr } from "../plan/expressions.ts";
import type { DataType } from "../types/data-types.ts";
import { DATE32, FLOAT64, INT32, INT64, UTF8, TIMESTAMP, decimal, parseTypeName } from "../types/data-types.ts";
import { CinderError } from "../common/errors.ts";
import type { Token } from "./lexer.ts";
import { parseErrorAt } from "./lexer.ts";
import { TokenCursor } from "./token-cursor.ts";
import { parseDateText, parseTimestampText } from "../types/temporal-text.ts";

export class LiteralParser extends TokenCursor {
  protected typeName(): DataType {
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

  protected dateLiteral(s: Token): Expr {
    const days = parseDateText(s.text);
    if (days === null) this.fail(`invalid date '${s.text}'; expected 'YYYY-MM-DD'`, s);
    return { type: "literal", value: days, dataType: DATE32 };
  }

  protected timestampLiteral(s: Token): Expr {
    const micros = parseTimestampText(s.text);
    if (micros === null) this.fail(`invalid timestamp '${s.text}'; expected 'YYYY-MM-DD HH:MM:SS[.ffffff]'`, s);
    return { type: "literal", value: micros, dataType: TIMESTAMP };
  }

  /** `interval '3' month`, `interval 3 months`, `interval '90' day (3)`: a marker the additive level turns into date arithmetic. */
  protected intervalLiteral(): Expr {
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

export const INTERVAL_MARKER = "__interval";

export function isIntervalMarker(e: Expr): e is Extract<Expr, { type: "call" }> {
  return e.type === "call" && e.name === INTERVAL_MARKER;
}

/** `d + interval` / `d - interval`: days become date_add/date_sub, months and years add_months. */
export function applyInterval(date: Expr, interval: Extract<Expr, { type: "call" }>, subtract: boolean): Expr {
  const amount = (interval.args[0] as { value: number }).value;
  const unit = (interval.args[1] as { value: string }).value;
  const lit = (n: number): Expr => ({ type: "literal", value: n, dataType: INT32 });
  if (unit === "month") return { type: "call", name: "add_months", args: [date, lit(subtract ? -amount : amount)] };
  return { type: "call", name: subtract ? "date_sub" : "date_add", args: [date, lit(amount)] };
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
