/**
 * Row-oriented file formats, loaded whole into memory: CSV (header,
 * delimiter, RFC 4180 quoting, type inference with an override), JSON
 * lines (one object per line) and Arrow IPC (file or stream format).
 * Unlike Parquet they have no footer or statistics to read selectively, so
 * each input is fetched once and parsed into column vectors; a CSV cell is
 * parsed with loops over the decoded text, not a regex per row.
 */
import * as arrow from "apache-arrow";
import { IOError } from "../common/errors.ts";
import type { DataType } from "../types/data-types.ts";
import { parseTypeName } from "../types/data-types.ts";
import type { ColumnVector } from "../exec/column-vector.ts";
import { parseDate, parseTimestamp, vectorFromValues } from "../exec/values.ts";
import { FileByteSource } from "./byte-source.ts";
import { isOpfsPath, opfsFile } from "./opfs.ts";

export type TextInput = string | URL | Uint8Array | ArrayBuffer | Blob;

/** The bytes of a whole input: a path (Node), a URL, a Blob or bytes. */
export async function readWhole(input: TextInput): Promise<{ name: string; bytes: Uint8Array }> {
  if (input instanceof Uint8Array) return { name: "bytes", bytes: input };
  if (input instanceof ArrayBuffer) return { name: "bytes", bytes: new Uint8Array(input) };
  if (typeof input !== "string" && !(input instanceof URL)) {
    return { name: (input as { name?: string }).name ?? "blob", bytes: new Uint8Array(await input.arrayBuffer()) };
  }
  const name = String(input);
  if (/^https?:\/\//i.test(name)) {
    let res: Response;
    try { res = await fetch(name); } catch (e) { throw new IOError("IO_ERROR", `cannot fetch ${name}: ${(e as Error).message}`, { details: { url: name }, cause: e }); }
    if (!res.ok) throw new IOError("IO_ERROR", `fetching ${name} failed: HTTP ${res.status}`, { details: { url: name, status: res.status } });
    return { name, bytes: new Uint8Array(await res.arrayBuffer()) };
  }
  if (isOpfsPath(name)) return { name, bytes: new Uint8Array(await (await opfsFile(name)).arrayBuffer()) };
  const file = new FileByteSource(name);
  const size = await file.size();
  const [bytes] = await file.read([{ start: 0, end: size }]);
  return { name, bytes: bytes! };
}

export interface CsvReadOptions {
  header?: boolean;
  delimiter?: string;
  quote?: string;
  /** Column types by name (`"int"`, `"decimal(10,2)"`, ...): they override inference. */
  schema?: Record<string, string | DataType>;
  /** Text read as NULL in unquoted cells (default: the empty string). */
  nullValue?: string;
}

/** Cells of a CSV text: `null` for an unquoted empty (or nullValue) cell, "" for a quoted empty one. */
export function parseCsvCells(text: string, options: CsvReadOptions = {}, name = "csv"): (string | null)[][] {
  const delim = options.delimiter ?? ",", quote = options.quote ?? '"', nullValue = options.nullValue ?? "";
  if (delim.length !== 1 || quote.length !== 1) throw new IOError("IO_ERROR", `CSV delimiter and quote must be one character (got '${delim}', '${quote}')`);
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    let cell: string | null;
    if (text[i] === quote) {
      let out = "";
      i++;
      const startLine = line;
      for (;;) {
        if (i >= n) throw new IOError("IO_ERROR", `${name}: a quoted field opened on line ${startLine} is never closed`, { details: { file: name, line: startLine } });
        const c = text[i]!;
        if (c === quote) {
          if (text[i + 1] === quote) { out += quote; i += 2; continue; }
          i++;
          break;
        }
        if (c === "\n") line++;
        out += c;
        i++;
      }
      cell = out;
    } else {
      let j = i;
      while (j < n && text[j] !== delim && text[j] !== "\n" && text[j] !== "\r") j++;
      const raw = text.slice(i, j);
      cell = raw === nullValue ? null : raw;
      i = j;
    }
    row.push(cell);
    if (i < n && text[i] === delim) { i++; if (i === n) row.push(null); continue; }
    if (text[i] === "\r") i++;
    if (text[i] === "\n") i++;
    line++;
    rows.push(row);
    row = [];
  }
  if (row.length) rows.push(row);
  return rows;
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The narrowest type all non-null cells fit, in DuckDB's order: bigint, double, boolean, date, timestamp, string. */
export function inferCsvType(values: readonly (string | null)[]): DataType {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return { kind: "utf8" };
  if (present.every((v) => INT.test(v) && Math.abs(Number(v)) <= 2 ** 53)) return { kind: "int64" };
  if (present.every((v) => FLOAT.test(v.trim()))) return { kind: "float64" };
  if (present.every((v) => /^(true|false)$/i.test(v))) return { kind: "boolean" };
  if (present.every((v) => DATE.test(v) && parseDate(v) !== null)) return { kind: "date32" };
  if (present.every((v) => TIMESTAMP.test(v) && parseTimestamp(v) !== null)) return { kind: "timestamp", timezone: null };
  return { kind: "utf8" };
}

function typedValue(v: string | null, type: DataType, name: string, column: string, row: number): unknown {
  if (v === null) return null;
  const bad = (): never => {
    throw new IOError("IO_ERROR", `${name}: row ${row}, column '${column}': '${v}' is not a valid ${type.kind}; fix the value or read the column as string`, { details: { file: name, row, column, value: v } });
  };
  switch (type.kind) {
    case "utf8": return v;
    case "boolean": return /^true$/i.test(v) ? true : /^false$/i.test(v) ? false : bad();
    case "date32": return parseDate(v) ?? bad();
    case "timestamp": return parseTimestamp(v) ?? bad();
    default: {
      const t = v.trim();
      const x = /^[+-]?inf(inity)?$/i.test(t) ? (t.startsWith("-") ? -Infinity : Infinity) : /^[+-]?nan$/i.test(t) ? NaN : Number(t);
      if (t === "" || (Number.isNaN(x) && !/nan/i.test(t))) bad();
      return x;
    }
  }
}

/** Parses CSV bytes into named, typed column vectors. */
export function csvColumns(bytes: Uint8Array, options: CsvReadOptions = {}, name = "csv"): { names: string[]; types: DataType[]; columns: ColumnVector[]; numRows: number } {
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "");
  const cells = parseCsvCells(text, options, name);
  const header = options.header ?? true;
  const width = cells.reduce((w, r) => Math.max(w, r.length), 0);
  const names = header && cells.length ? cells[0]!.map((c, i) => c ?? `column${i}`) : Array.from({ length: width }, (_, i) => `column${i}`);
  const body = header ? cells.slice(1) : cells;
  body.forEach((r, k) => {
    if (r.length !== names.length) {
      throw new IOError("IO_ERROR", `${name}: row ${k + (header ? 2 : 1)} has ${r.length} fields but the header has ${names.length}; check the delimiter and quoting`, { details: { file: name, row: k + (header ? 2 : 1) } });
    }
  });
  const types = names.map((col, c) => {
    const given = options.schema?.[col];
    if (given !== undefined) return typeof given === "string" ? parseTypeName(given) : given;
    return inferCsvType(body.map((r) => r[c] ?? null));
  });
  const columns = names.map((col, c) => {
    const type = types[c]!;
    // Dates and timestamps come out in storage form (days, microseconds), which vectorFromValues keeps as-is.
    const values = body.map((r, k) => typedValue(r[c] ?? null, type, name, col, k + (header ? 2 : 1)));
    return vectorFromValues(type, values, col);
  });
  return { names, types, columns, numRows: body.length };
}

/** Rows of a JSON-lines text: one JSON object per non-blank line. */
export function parseJsonLines(bytes: Uint8Array, name = "json"): Record<string, unknown>[] {
  const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
  const rows: Record<string, unknown>[] = [];
  lines.forEach((line, k) => {
    if (line.trim() === "") return;
    let value: unknown;
    try { value = JSON.parse(line); } catch (e) {
      throw new IOError("IO_ERROR", `${name}: line ${k + 1} is not valid JSON: ${(e as Error).message}`, { details: { file: name, line: k + 1 }, cause: e });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new IOError("IO_ERROR", `${name}: line ${k + 1} is not a JSON object; JSON lines need one object per line`, { details: { file: name, line: k + 1 } });
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === "object" && v !== null) {
        throw new IOError("IO_ERROR", `${name}: line ${k + 1}, field '${key}' is nested (${Array.isArray(v) ? "an array" : "an object"}), which Cinder cannot hold yet; flatten it first`, { details: { file: name, line: k + 1, column: key } });
      }
    }
    rows.push(value as Record<string, unknown>);
  });
  return rows;
}

/** An Arrow IPC file or stream. */
export function arrowTableFromIpc(bytes: Uint8Array, name = "arrow"): arrow.Table {
  try {
    const table = arrow.tableFromIPC(bytes);
    // apache-arrow reads garbage as an empty table; a real IPC input always has a schema.
    if (table.schema.fields.length === 0) throw new Error("no schema message found");
    return table;
  } catch (e) {
    throw new IOError("IO_ERROR", `${name} is not a readable Arrow IPC file or stream: ${(e as Error).message}`, { details: { file: name }, cause: e });
  }
}
