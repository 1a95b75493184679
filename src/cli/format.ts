/**
 * Result formats of the `cinder` command line: `table` (Spark's `show()`
 * layout, every row), `json` (exactly one object `{"columns", "rows"}` with
 * dates as `YYYY-MM-DD`, timestamps ISO 8601, decimals and floats as
 * numbers, NULL as null) and `csv` (RFC 4180 quoting, empty field for NULL).
 */
import { CinderError } from "../common/errors.ts";
import type { CellValue } from "../exec/values.ts";
import type { Field } from "../types/data-types.ts";

export type OutputFormat = "table" | "json" | "csv";

/** A cell as JSON: dates and timestamps become strings, everything else stays as is. */
export function jsonCell(value: CellValue, field: Field): string | number | boolean | null {
  if (value === null) return null;
  if (value instanceof Date) return field.type.kind === "date32" ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === "number" && !Number.isFinite(value)) return String(value); // NaN/Infinity are not JSON numbers
  return value;
}

export function formatJson(schema: readonly Field[], rows: CellValue[][]): string {
  return JSON.stringify({ columns: schema.map((f) => f.name), rows: rows.map((r) => r.map((v, i) => jsonCell(v, schema[i]!))) });
}

function csvField(v: string | number | boolean | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(schema: readonly Field[], rows: CellValue[][]): string {
  const lines = [schema.map((f) => csvField(f.name)).join(",")];
  for (const r of rows) lines.push(r.map((v, i) => csvField(jsonCell(v, schema[i]!))).join(","));
  return lines.join("\n");
}

/**
 * An error as the command line prints it: `error CODE: message`, one line
 * (a ParseError's caret excerpt follows on the next ones), never a stack.
 * Errors that are not Cinder's are INTERNAL.
 */
export function errorLine(e: unknown): string {
  const { code, message } = errorParts(e);
  return `error ${code}: ${message}\n`;
}

/** The same error as `--format json` prints it: one object `{"error": {"code", "message"}}`. */
export function errorJson(e: unknown): string {
  return `${JSON.stringify({ error: errorParts(e) })}\n`;
}

function errorParts(e: unknown): { code: string; message: string } {
  if (CinderError.is(e)) return { code: e.code, message: e.message };
  return { code: "INTERNAL", message: e instanceof Error ? e.message : String(e) };
}
