/**
 * Date function kernels over date32 (days since 1970-01-01) and, for the
 * field extractors, timestamps (microseconds, UTC): year, month, day,
 * quarter, dayofweek, date_add, date_sub, datediff, add_months. All integer
 * arithmetic on day numbers (see calendar.ts), no `Date` objects per row.
 * dayofweek is Spark's (1 = Sunday .. 7 = Saturday), which is DuckDB's
 * `dayofweek(d) + 1`.
 */
import type { DataType } from "../../types/data-types.ts";
import { DATE32, INT32 } from "../../types/data-types.ts";
import { ExecutionError } from "../../common/errors.ts";
import type { ColumnVector } from "../column-vector.ts";
import { mergeValidity } from "../validity.ts";
import { civilFromDays, daysFromCivil, daysInMonth, MICROS_PER_DAY } from "../../types/calendar.ts";

export type DatePart = "year" | "month" | "day" | "quarter" | "dayofweek";

/** Day numbers of a date32 or timestamp column. */
function dayNumbers(col: ColumnVector): ArrayLike<number> {
  if (col.type.kind !== "timestamp") return col.values;
  const n = col.length, v = col.values, out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(v[i]! / MICROS_PER_DAY);
  return out;
}

export function datePart(part: DatePart, col: ColumnVector): ColumnVector {
  const n = col.length, days = dayNumbers(col), out = new Int32Array(n);
  const ymd = new Int32Array(3);
  switch (part) {
    case "dayofweek":
      // 1970-01-01 was a Thursday (Spark's 5).
      for (let i = 0; i < n; i++) out[i] = ((((days[i]! + 4) % 7) + 7) % 7) + 1;
      break;
    case "year": for (let i = 0; i < n; i++) { civilFromDays(days[i]!, ymd); out[i] = ymd[0]!; } break;
    case "month": for (let i = 0; i < n; i++) { civilFromDays(days[i]!, ymd); out[i] = ymd[1]!; } break;
    case "day": for (let i = 0; i < n; i++) { civilFromDays(days[i]!, ymd); out[i] = ymd[2]!; } break;
    case "quarter": for (let i = 0; i < n; i++) { civilFromDays(days[i]!, ymd); out[i] = ((ymd[1]! - 1) / 3 | 0) + 1; } break;
  }
  return { type: INT32, length: n, values: out, validity: col.validity };
}

/** Day numbers that fit date32 (and DuckDB's date range), checked so a shift cannot wrap silently. */
const MAX_DAYS = 2_147_483_647, MIN_DAYS = -2_147_483_648;

function checked(out: Int32Array, exact: Float64Array | null, validity: Uint8Array | null, what: string): void {
  if (!exact) return;
  for (let i = 0; i < exact.length; i++) {
    if (validity && !validity[i]) continue;
    const x = exact[i]!;
    if (x > MAX_DAYS || x < MIN_DAYS) {
      throw new ExecutionError("ARITHMETIC_OVERFLOW", `${what} gives a date out of range at row ${i}; use smaller day or month offsets`, { details: { function: what } });
    }
    out[i] = x;
  }
}

/** date_add(d, n) / date_sub(d, n): `sign` is +1 or -1. */
export function dateShift(date: ColumnVector, days: ColumnVector, sign: 1 | -1, what: string): ColumnVector {
  const n = date.length, a = date.values, b = days.values;
  const validity = mergeValidity([date, days], n);
  const exact = new Float64Array(n), out = new Int32Array(n);
  for (let i = 0; i < n; i++) exact[i] = a[i]! + sign * b[i]!;
  checked(out, exact, validity, what);
  return { type: DATE32, length: n, values: out, validity };
}

/** datediff(end, start): days from `start` to `end` (Spark's argument order). */
export function dateDiff(end: ColumnVector, start: ColumnVector): ColumnVector {
  const n = end.length, a = end.values, b = start.values, out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
  return { type: INT32, length: n, values: out, validity: mergeValidity([end, start], n) };
}

/** add_months: the same day `months` later, clamped to the last day of a shorter month (Jan 31 + 1 = Feb 29 in 2024). */
export function addMonths(date: ColumnVector, months: ColumnVector, type: DataType = DATE32): ColumnVector {
  const n = date.length, a = date.values, m = months.values;
  const validity = mergeValidity([date, months], n);
  const exact = new Float64Array(n), out = new Int32Array(n), ymd = new Int32Array(3);
  for (let i = 0; i < n; i++) {
    if (validity && !validity[i]) continue;
    civilFromDays(a[i]!, ymd);
    const total = ymd[0]! * 12 + (ymd[1]! - 1) + m[i]!;
    const y = Math.floor(total / 12), mo = total - y * 12 + 1;
    exact[i] = daysFromCivil(y, mo, Math.min(ymd[2]!, daysInMonth(y, mo)));
  }
  checked(out, exact, validity, "add_months");
  return { type, length: n, values: out, validity };
}
