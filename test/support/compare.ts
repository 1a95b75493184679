/**
 * The one table-equality helper: compares Cinder rows with DuckDB rows,
 * as multisets (order-insensitive) or in order, with a relative tolerance
 * for floating-point sums whose order of addition differs.
 */
import assert from "node:assert/strict";
import type { CellValue } from "../../src/index.ts";

export function normalizeCinder(v: CellValue | unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString().slice(0, v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds() ? 19 : 10);
  return v;
}

function close(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }
  return a === b;
}

function key(row: unknown[]): string {
  return JSON.stringify(row.map((v) => (typeof v === "number" ? Number(v.toPrecision(9)) : v)));
}

/** Asserts equal rows; `ordered` compares positions, otherwise rows are sorted first. */
export function assertRowsEqual(actual: unknown[][], expected: unknown[][], options: { ordered?: boolean; message?: string } = {}): void {
  const a = actual.map((r) => r.map(normalizeCinder));
  const e = expected.map((r) => r.map((v) => v));
  assert.equal(a.length, e.length, `${options.message ?? ""} row count: got ${a.length}, expected ${e.length}\nfirst actual: ${JSON.stringify(a.slice(0, 3))}\nfirst expected: ${JSON.stringify(e.slice(0, 3))}`);
  const sa = options.ordered ? a : [...a].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  const se = options.ordered ? e : [...e].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  for (let i = 0; i < sa.length; i++) {
    const ra = sa[i]!, re = se[i]!;
    const same = ra.length === re.length && ra.every((v, c) => close(v, re[c]));
    if (!same) assert.fail(`${options.message ?? ""} row ${i} differs:\n  cinder: ${JSON.stringify(ra)}\n  duckdb: ${JSON.stringify(re)}`);
  }
}
