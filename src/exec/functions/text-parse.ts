/**
 * Text to values, for casts from string: integers, doubles, decimals,
 * booleans, dates and timestamps (those in src/types/temporal-text.ts,
 * shared with SQL literals), with DuckDB's (and Spark ANSI mode's)
 * rules on what is valid. Each parser returns NaN for invalid text and the
 * cast kernel turns that into a CAST_INVALID_INPUT error naming the value.
 * Integers and dates, the common bulk cases, are parsed straight from the
 * UTF-8 bytes; the rest from a JS string of the one value.
 */
export { parseDateBytes, parseTimestampBytes } from "../../types/temporal-text.ts";
import { isSpace } from "../../types/temporal-text.ts";

const decoder = new TextDecoder();

/** The JS string of a byte span; short ASCII spans skip TextDecoder, whose per-call cost dominates. */
export function spanToString(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let s = "";
    for (let k = start; k < end; k++) {
      const b = bytes[k]!;
      if (b >= 0x80) return decoder.decode(bytes.subarray(start, end));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}

/**
 * `[ws][+-]digits[ws]` as an exact integer, or NaN when the text has any
 * other shape (the caller then tries the general number syntax).
 */
export function parseIntegerBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && isSpace(bytes[start]!)) start++;
  while (end > start && isSpace(bytes[end - 1]!)) end--;
  if (start === end) return NaN;
  let neg = false;
  const first = bytes[start]!;
  if (first === 45 || first === 43) { neg = first === 45; start++; }
  if (start === end || end - start > 15) return NaN;
  let v = 0;
  for (let k = start; k < end; k++) {
    const d = bytes[k]! - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A double from text: decimal or exponent notation, `inf`/`infinity`/`nan` in any case; NaN marks invalid text. */
export function parseDoubleText(text: string): { value: number; valid: boolean } {
  const t = text.trim();
  if (NUMBER.test(t)) return { value: Number(t), valid: true };
  const lower = t.toLowerCase();
  const sign = lower.startsWith("-") ? -1 : 1;
  const bare = lower.replace(/^[+-]/, "");
  if (bare === "inf" || bare === "infinity") return { value: sign * Infinity, valid: true };
  if (bare === "nan") return { value: NaN, valid: true };
  return { value: NaN, valid: false };
}

/**
 * The unscaled value of decimal text at `scale`, rounding half away from
 * zero on the digits themselves (no binary rounding); NaN when invalid.
 */
export function parseDecimalText(text: string, scale: number): number {
  const t = text.trim();
  if (!NUMBER.test(t)) return NaN;
  const neg = t.startsWith("-");
  const body = t.replace(/^[+-]/, "");
  const e = body.search(/[eE]/);
  const mantissa = e < 0 ? body : body.slice(0, e);
  let exponent = e < 0 ? 0 : Number(body.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  if (dot >= 0) exponent -= mantissa.length - dot - 1;
  // value = digits * 10^exponent; unscaled = digits * 10^(exponent + scale)
  const shift = exponent + scale;
  let unscaled: number;
  if (shift >= 0) {
    unscaled = Number(digits + "0".repeat(Math.min(shift, 400)));
  } else {
    const keep = digits.length + shift;
    const kept = keep > 0 ? Number(digits.slice(0, keep)) : 0;
    const next = keep >= 0 && keep < digits.length ? digits.charCodeAt(keep) - 48 : 0;
    unscaled = next >= 5 ? kept + 1 : kept;
  }
  return neg ? -unscaled : unscaled;
}

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "0"]);

/**
 * 1, 0, or NaN for text that is not a boolean. Surrounding spaces are
 * trimmed as Spark does; DuckDB rejects `'true '`.
 */
export function parseBooleanText(text: string): number {
  const t = text.trim().toLowerCase();
  return TRUE_WORDS.has(t) ? 1 : FALSE_WORDS.has(t) ? 0 : NaN;
}
