/**
 * Text to values, for casts from string: integers, doubles, decimals,
 * booleans, dates and timestamps, with DuckDB's (and Spark ANSI mode's)
 * rules on what is valid. Each parser returns NaN for invalid text and the
 * cast kernel turns that into a CAST_INVALID_INPUT error naming the value.
 * Integers and dates, the common bulk cases, are parsed straight from the
 * UTF-8 bytes; the rest from a JS string of the one value.
 */
import { daysFromCivil, daysInMonth, MICROS_PER_DAY } from "./calendar.ts";

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

const isSpace = (b: number) => b === 32 || (b >= 9 && b <= 13);

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

/** Reads 1..`max` digits at `k`; returns [value, next position] or null. */
function readNumber(bytes: Uint8Array, k: number, end: number, max: number): [number, number] | null {
  let v = 0, n = 0;
  while (k < end && n < max) {
    const d = bytes[k]! - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d; k++; n++;
  }
  return n === 0 ? null : [v, k];
}

/**
 * A date `Y-M-D` (1-4 digit year, 1-2 digit month and day) from bytes,
 * optionally followed by a time part (`2024-01-05 10:00:00`, as DuckDB and
 * Spark accept); returns the day number, or NaN when invalid.
 * `timeStart` receives the position after the date when `wantTime` is set.
 */
export function parseDateBytes(bytes: Uint8Array, start: number, end: number, allowTime = true): number {
  const r = parseDatePrefix(bytes, start, end);
  if (!r) return NaN;
  let k = r[1];
  while (end > k && isSpace(bytes[end - 1]!)) end--;
  if (k !== end) {
    const sep = bytes[k]!;
    if (!allowTime || (sep !== 32 && sep !== 84)) return NaN;
    if (Number.isNaN(parseTimeOfDay(bytes, k + 1, end))) return NaN;
  }
  return r[0];
}

function parseDatePrefix(bytes: Uint8Array, start: number, end: number): [number, number] | null {
  let k = start;
  while (k < end && isSpace(bytes[k]!)) k++;
  const y = readNumber(bytes, k, end, 4);
  if (!y || bytes[y[1]] !== 45) return null;
  const m = readNumber(bytes, y[1] + 1, end, 2);
  if (!m || bytes[m[1]] !== 45) return null;
  const d = readNumber(bytes, m[1] + 1, end, 2);
  if (!d) return null;
  const [year] = y, [month] = m, [day] = d;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return [daysFromCivil(year, month, day), d[1]];
}

/**
 * `HH:MM[:SS[.fraction]][Z|+HH[:MM]|-HH[:MM]]` as microseconds into the
 * day; NaN when invalid. An offset moves the instant to UTC, as Spark
 * does with a UTC session time zone; DuckDB's plain TIMESTAMP cast drops
 * the offset instead (we chose the reading that keeps the instant).
 */
function parseTimeOfDay(bytes: Uint8Array, k: number, end: number): number {
  while (k < end && isSpace(bytes[k]!)) k++;
  const h = readNumber(bytes, k, end, 2);
  if (!h || bytes[h[1]] !== 58) return NaN;
  const mi = readNumber(bytes, h[1] + 1, end, 2);
  if (!mi) return NaN;
  k = mi[1];
  let seconds = 0, micros = 0;
  if (bytes[k] === 58) {
    const s = readNumber(bytes, k + 1, end, 2);
    if (!s) return NaN;
    seconds = s[0]; k = s[1];
    if (bytes[k] === 46) {
      k++;
      let digits = 0;
      while (k < end && bytes[k]! >= 48 && bytes[k]! <= 57) {
        if (digits < 6) micros = micros * 10 + (bytes[k]! - 48);
        digits++; k++;
      }
      if (digits === 0) return NaN;
      for (let p = Math.min(digits, 6); p < 6; p++) micros *= 10;
    }
  }
  if (h[0] > 23 || mi[0] > 59 || seconds > 59) return NaN;
  let offsetMinutes = 0;
  while (k < end && isSpace(bytes[k]!)) k++;
  if (k < end && (bytes[k] === 90 || bytes[k] === 122)) k++;
  else if (k < end && (bytes[k] === 43 || bytes[k] === 45)) {
    const sign = bytes[k] === 45 ? -1 : 1;
    const oh = readNumber(bytes, k + 1, end, 2);
    if (!oh) return NaN;
    k = oh[1];
    let om = 0;
    if (bytes[k] === 58) { const r = readNumber(bytes, k + 1, end, 2); if (!r) return NaN; om = r[0]; k = r[1]; }
    else { const r = readNumber(bytes, k, end, 2); if (r) { om = r[0]; k = r[1]; } }
    offsetMinutes = sign * (oh[0] * 60 + om);
  }
  if (k !== end) return NaN;
  return ((h[0] * 60 + mi[0] - offsetMinutes) * 60 + seconds) * 1_000_000 + micros;
}

/** A timestamp `Y-M-D[( |T)HH:MM[:SS[.ffffff]][offset]]` as microseconds since the epoch (UTC), or NaN. */
export function parseTimestampBytes(bytes: Uint8Array, start: number, end: number): number {
  const r = parseDatePrefix(bytes, start, end);
  if (!r) return NaN;
  let k = r[1];
  while (end > k && isSpace(bytes[end - 1]!)) end--;
  const dayMicros = r[0] * MICROS_PER_DAY;
  if (k === end) return dayMicros;
  const sep = bytes[k]!;
  if (sep !== 32 && sep !== 84) return NaN;
  k++;
  const time = parseTimeOfDay(bytes, k, end);
  return Number.isNaN(time) ? NaN : dayMicros + time;
}
