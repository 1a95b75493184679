/**
 * The one table-equality helper: compares Cinder rows with DuckDB rows,
 * as multisets (order-insensitive) or in order, with a relative tolerance
 * for floating-point sums whose order of addition differs. NaN equals NaN,
 * -0 equals 0, and an int64 that one side gives as a bigint equals the
 * same number from the other.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/index.ts";

export function normalizeCinder(v: CellValue | unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds() ? 19 : 10);
  if (typeof v === "bigint") return Number(v);
  return v;
}

/** The relative tolerance for floating-point results (sums added in another order). */
export const RELATIVE_TOLERANCE = 1e-9;

function close(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

// Sorting key: numbers rounded so near-equal floats sort alike; NaN and the infinities kept apart from NULL.
function cellKey(v: unknown): string {
  if (v === null) return "n";
  if (typeof v === "number") return Number.isFinite(v) ? `f${Number(v.toPrecision(9))}` : `f${String(v)}`;
  return `${typeof v}:${String(v)}`;
}
const rowKey = (row: unknown[]) => row.map(cellKey).join("\u0001");

function sorted(rows: unknown[][]): unknown[][] {
  const keyed = rows.map((r) => [rowKey(r), r] as const);
  keyed.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return keyed.map(([, r]) => r);
}

/** Where Cinder's rows differ from DuckDB's (already normalized), or null when they agree. */
export function rowsDifference(actual: unknown[][], expected: unknown[][], options: { ordered?: boolean } = {}): string | null {
  const a = actual.map((r) => r.map(normalizeCinder));
  const e = expected.map((r) => r.map(normalizeCinder));
  if (a.length !== e.length) {
    return `row count: got ${a.length}, expected ${e.length}\nfirst actual: ${JSON.stringify(a.slice(0, 3))}\nfirst expected: ${JSON.stringify(e.slice(0, 3))}`;
  }
  const sa = options.ordered ? a : sorted(a);
  const se = options.ordered ? e : sorted(e);
  for (let i = 0; i < sa.length; i++) {
    const ra = sa[i]!, re = se[i]!;
    const same = ra.length === re.length && ra.every((v, c) => close(v, re[c]));
    if (!same) return `row ${i} differs:\n  cinder: ${JSON.stringify(ra, show)}\n  duckdb: ${JSON.stringify(re, show)}`;
  }
  return null;
}

function show(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
}

/** Asserts equal rows; `ordered` compares positions, otherwise rows are sorted first. */
export function assertRowsEqual(actual: unknown[][], expected: unknown[][], options: { ordered?: boolean; message?: string } = {}): void {
  const difference = rowsDifference(actual, expected, options);
  if (difference) assert.fail(`${options.message ?? ""} ${difference}`);
}
