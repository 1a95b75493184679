/**
 * JS values in and out of columns: building vectors from row objects
 * (`createDataFrame`) and reading cells back (`collect`). Not a hot path;
 * kernels never go through these.
 */
import type { DataType } from "../types/data-types.ts";
import { isDecimal } from "../types/data-types.ts";
import { AnalysisError, ExecutionError } from "../common/errors.ts";
import type { ColumnVector } from "./column-vector.ts";
import { parseDateText, parseTimestampText } from "../types/temporal-text.ts";
import { allocateValues, isValidAt, stringAt, utf8FromStrings } from "./column-vector.ts";

const DAY_MS = 86400000;

/** A cell as JS sees it: numbers, strings, booleans, `Date`s for dates and timestamps, null. */
export type CellValue = number | string | boolean | Date | null;

/** The day number of 'YYYY-MM-DD' text (a time part is allowed, as in a CAST), or null. */
export const parseDate = parseDateText;

/** Microseconds since the epoch (UTC) of timestamp text, or null. */
export const parseTimestamp = parseTimestampText;

export function formatDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function formatTimestamp(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

/** Converts one JS value to the in-memory form of `type` (see column-vector.ts). */
export function toStorage(value: unknown, type: DataType, column: string): number {
  const bad = (): never => {
    throw new AnalysisError("DATATYPE_MISMATCH", `column '${column}' is ${type.kind} but got ${JSON.stringify(value)}; make the values agree or pass an explicit schema`,
      { details: { column, value: String(value), type: type.kind } });
  };
  switch (type.kind) {
    case "boolean": return typeof value === "boolean" ? (value ? 1 : 0) : bad();
    case "date32":
      if (value instanceof Date) return Math.floor(value.getTime() / DAY_MS);
      if (typeof value === "string") return parseDate(value) ?? bad();
      return typeof value === "number" ? value : bad();
    case "timestamp":
      if (value instanceof Date) return value.getTime() * 1000;
      if (typeof value === "string") return parseTimestamp(value) ?? bad();
      return typeof value === "number" ? value : bad();
    case "decimal": {
      const x = typeof value === "number" ? value : typeof value === "string" ? Number(value) : typeof value === "bigint" ? Number(value) : NaN;
      if (!Number.isFinite(x)) bad();
      return Math.round(x * 10 ** type.scale);
    }
    default: {
      if (typeof value === "bigint") {
        if (value > 2n ** 53n || value < -(2n ** 53n)) throw new ExecutionError("ARITHMETIC_OVERFLOW", `column '${column}': ${value} is beyond ±2^53`, { details: { column } });
        return Number(value);
      }
      return typeof value === "number" ? value : bad();
    }
  }
}

/** A vector of `type` holding `values` (null/undefined = NULL). */
export function vectorFromValues(type: DataType, values: readonly unknown[], column = "?"): ColumnVector {
  const n = values.length;
  if (type.kind === "utf8") {
    return utf8FromStrings(values.map((v) => (v === null || v === undefined ? null : typeof v === "string" ? v : String(v))), type);
  }
  const out = allocateValues(type, n);
  let validity: Uint8Array | null = type.kind === "null" ? new Uint8Array(n) : null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      validity ??= new Uint8Array(n).fill(1);
      validity[i] = 0;
    } else if (type.kind !== "null") {
      out[i] = toStorage(v, type, column);
    }
  }
  return { type, length: n, values: out, validity };
}

/** The JS value of row `i`. */
export function valueAt(col: ColumnVector, i: number): CellValue {
  if (!isValidAt(col, i)) return null;
  const t = col.type;
  switch (t.kind) {
    case "null": return null;
    case "utf8": return stringAt(col, i);
    case "boolean": return col.values[i] === 1;
    case "date32": return new Date(col.values[i]! * DAY_MS);
    case "timestamp": return new Date(Math.floor(col.values[i]! / 1000));
    default:
      if (isDecimal(t)) return col.values[i]! / 10 ** t.scale;
      return col.values[i]!;
  }
}

/**
 * Every cell of a column, as `valueAt` reads them, a column at a time: one
 * loop per column type instead of a type switch per cell, and a dictionary's
 * entries decoded once rather than once per row (collecting 200K rows to the
 * driver is otherwise a serial cost that no executor count shortens).
 */
export function columnValues(col: ColumnVector): CellValue[] {
  const n = col.length, validity = col.validity, out = new Array<CellValue>(n);
  if (col.dictionary) {
    const entries = columnValues(col.dictionary), codes = col.values;
    for (let i = 0; i < n; i++) out[i] = validity !== null && validity[i] === 0 ? null : entries[codes[i]!] as CellValue;
    return out;
  }
  const t = col.type, v = col.values;
  if (t.kind === "utf8" || t.kind === "date32" || t.kind === "timestamp" || t.kind === "boolean" || t.kind === "null") {
    for (let i = 0; i < n; i++) out[i] = valueAt(col, i);
    return out;
  }
  const scale = isDecimal(t) ? 10 ** t.scale : 1;
  if (validity === null && scale === 1) for (let i = 0; i < n; i++) out[i] = v[i]!;
  else for (let i = 0; i < n; i++) out[i] = validity !== null && validity[i] === 0 ? null : scale === 1 ? v[i]! : v[i]! / scale;
  return out;
}

/** The text a cell shows in `show()` and CSV/JSON output. */
export function formatCell(col: ColumnVector, i: number): string | null {
  if (!isValidAt(col, i)) return null;
  const t = col.type;
  switch (t.kind) {
    case "date32": return formatDate(col.values[i]!);
    case "timestamp": return formatTimestamp(col.values[i]!).replace("T", " ").replace("Z", "");
    case "decimal": return formatDecimal(col.values[i]!, t.scale);
    default: return String(valueAt(col, i));
  }
}

export function formatDecimal(unscaled: number, scale: number): string {
  if (scale === 0) return String(unscaled);
  const neg = unscaled < 0;
  const digits = String(Math.abs(unscaled)).padStart(scale + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
