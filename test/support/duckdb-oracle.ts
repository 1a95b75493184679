/**
 * The correctness oracle: DuckDB (native, through @duckdb/node-api) running
 * the same query on the same data. Test data is generated deterministically,
 * written to Parquet by DuckDB, and read by both engines.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let instance: DuckDBInstance | null = null;
let connection: DuckDBConnection | null = null;

export async function duck(): Promise<DuckDBConnection> {
  if (!connection) {
    instance = await DuckDBInstance.create(":memory:");
    connection = await instance.connect();
  }
  return connection;
}

/** Rows of a DuckDB query as arrays of plain JS values (numbers, strings, booleans, ISO dates, null). */
export async function duckRows(sql: string): Promise<unknown[][]> {
  const conn = await duck();
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowsJS().map((row) => row.map(normalize));
}

/** Runs DuckDB statements (DDL, COPY). */
export async function duckRun(sql: string): Promise<void> {
  const conn = await duck();
  await conn.run(sql);
}

export const scratchDir = mkdtempSync(join(tmpdir(), "cinder-test-"));

/** Writes a DuckDB query's result to a Parquet file in the scratch dir and returns its bytes and path. */
export async function duckToParquet(name: string, sql: string): Promise<{ path: string; bytes: Uint8Array }> {
  const path = join(scratchDir, `${name}.parquet`);
  await duckRun(`COPY (${sql}) TO '${path}' (FORMAT parquet)`);
  return { path, bytes: new Uint8Array(readFileSync(path)) };
}

/** DuckDB JS values to the forms Cinder's `normalizeCinder` produces. */
export function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds() ? 19 : 10);
  if (typeof v === "object") {
    const s = String(v);
    const n = Number(s);
    if (s !== "" && !Number.isNaN(n)) return n;
    return s;
  }
  return v;
}
