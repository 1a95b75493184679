/**
 * Dates and timestamps from text, one parser for every way text becomes
 * one: CAST from string (straight from the UTF-8 bytes, per row), SQL's
 * `DATE '...'` and `TIMESTAMP '...'` literals, JS strings given to
 * createDataFrame, CSV and JSON. So `DATE '0042-01-01'`,
 * `CAST('0042-01-01' AS DATE)` and a CSV cell of it are the same day, as
 * DuckDB and Spark say. Invalid text gives NaN (bytes) or null (strings).
 */
import { daysFromCivil, daysInMonth, MICROS_PER_DAY } from "./calendar.ts";

/** An ASCII whitespace byte (space, tab, newline, vertical tab, form feed, carriage return), as casts from text trim. */
export const isSpace = (b: number): boolean => b === 32 || (b >= 9 && b <= 13);
const encoder = new TextEncoder();

/** The day number (date32) of `text`, or null when it is no date. */
export function parseDateText(text: string): number | null {
  const bytes = encoder.encode(text);
  const d = parseDateBytes(bytes, 0, bytes.length);
  return Number.isNaN(d) ? null : d;
}

/** Microseconds since the epoch (UTC) of `text`, or null when it is no timestamp. */
export function parseTimestampText(text: string): number | null {
  const bytes = encoder.encode(text);
  const t = parseTimestampBytes(bytes, 0, bytes.length);
  return Number.isNaN(t) ? null : t;
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
