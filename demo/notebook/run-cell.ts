/**
 * Runs one notebook cell. A SQL cell is one statement for `spark.sql`. A
 * JavaScript or TypeScript cell is an async function body with `spark` and
 * every export of `cinder` (col, sum, Window, ...) in scope; its value is
 * what it returns, or its last expression. Types are stripped with sucrase
 * and the last expression found with acorn, so no code is rewritten by
 * hand. Compiling the cell from text is the notebook's job (it runs the
 * user's code in the user's page); the engine itself never does.
 */
import * as cinder from "cinder";
import { CinderError, DataFrame } from "cinder";
import type * as arrowTypes from "apache-arrow";
import * as arrow from "apache-arrow";
import { transform } from "sucrase";
import { parse } from "acorn";
import type { Session, ScanMetricsSnapshot } from "cinder";

export type CellLanguage = "sql" | "js";

/** Rows a result shows; more are counted as truncated (download or `write` gives them all). */
export const MAX_DISPLAY_ROWS = 100_000;

export interface CellOutput {
  /** The DataFrame the cell produced, for explain and downloads. */
  df: DataFrame | null;
  table: arrowTypes.Table | null;
  /** True when the result had more than MAX_DISPLAY_ROWS rows. */
  truncated: boolean;
  /** A value that is not a table (a number, a string, an object as JSON). */
  text: string | null;
  elapsedMs: number;
  /** What the cell's last query read from files: bytes fetched, row groups read and skipped per scan. */
  scans: ScanMetricsSnapshot[];
}

export interface CellFailure {
  code: string;
  message: string;
  /** 1-based position in the cell's text, where known. */
  line?: number;
  column?: number;
  suggestions?: string[];
}

/** Runs a cell; `scope` adds names a script cell sees (the notebook's `sample` file URLs). */
export async function runCell(session: Session, language: CellLanguage, source: string, scope: Record<string, unknown> = {}): Promise<CellOutput> {
  const started = performance.now();
  const before = session.lastQueryMetrics;
  const value = language === "sql" ? session.sql(source) : await runScript(session, source, scope);
  const out = await display(value);
  const metrics = session.lastQueryMetrics;
  return { ...out, elapsedMs: Math.round(performance.now() - started), scans: metrics && metrics !== before ? metrics.scans : [] };
}

async function display(value: unknown): Promise<Omit<CellOutput, "elapsedMs" | "scans">> {
  if (value instanceof DataFrame) {
    const table = await value.limit(MAX_DISPLAY_ROWS + 1).toArrow();
    const truncated = table.numRows > MAX_DISPLAY_ROWS;
    return { df: value, table: truncated ? table.slice(0, MAX_DISPLAY_ROWS) : table, truncated, text: null };
  }
  if (value instanceof arrow.Table) return { df: null, table: value, truncated: false, text: null };
  if (value === undefined) return { df: null, table: null, truncated: false, text: null };
  const text = typeof value === "string" ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) ?? String(value);
  return { df: null, table: null, truncated: false, text };
}

type AsyncFn = new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as AsyncFn;

/** Every export of `cinder` a script cell sees by name. */
const SCRIPT_NAMES = Object.keys(cinder).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== "default");

async function runScript(session: Session, source: string, scope: Record<string, unknown>): Promise<unknown> {
  let js: string;
  try {
    js = transform(source, { transforms: ["typescript"], disableESTransforms: true }).code;
  } catch (e) {
    throw scriptSyntaxError(e);
  }
  const body = returnLastExpression(js);
  const extra = Object.keys(scope);
  const fn = new AsyncFunction("spark", "session", ...extra, ...SCRIPT_NAMES, body);
  const exports = cinder as unknown as Record<string, unknown>;
  return fn(session, session, ...extra.map((k) => scope[k]), ...SCRIPT_NAMES.map((k) => exports[k]));
}

/** `body` with its last expression statement returned, so `df.groupBy(...)` alone shows its result. */
export function returnLastExpression(body: string): string {
  let program;
  try {
    program = parse(body, { ecmaVersion: "latest", sourceType: "script", allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true, locations: true });
  } catch (e) {
    throw scriptSyntaxError(e);
  }
  const last = program.body[program.body.length - 1];
  if (!last || last.type !== "ExpressionStatement") return body;
  const expr = body.slice(last.expression.start, last.expression.end);
  return `${body.slice(0, last.start)}return (${expr});${body.slice(last.end)}`;
}

function scriptSyntaxError(e: unknown): CinderError {
  const err = e as { message?: string; loc?: { line: number; column: number } };
  const message = (err.message ?? String(e)).replace(/\s*\(\d+:\d+\)$/, "");
  return new CinderError("PARSE_SYNTAX_ERROR", `syntax error in the cell: ${message}`, {
    details: err.loc ? { line: err.loc.line, column: err.loc.column + 1 } : {},
  });
}

/** What the editor marks: the error's code, message, and its position in `source` where one is known or can be found. */
export function describeFailure(e: unknown, source: string): CellFailure {
  if (!CinderError.is(e)) return { code: "ERROR", message: e instanceof Error ? e.message : String(e) };
  const d = e.details as { line?: unknown; column?: unknown; suggestions?: unknown } & Record<string, unknown>;
  const failure: CellFailure = { code: e.code, message: e.message.split("\n")[0]! };
  const withLine = e as unknown as { line?: number; column?: number };
  const line = typeof withLine.line === "number" ? withLine.line : typeof d.line === "number" ? d.line : undefined;
  const column = typeof withLine.column === "number" ? withLine.column : typeof d.column === "number" ? d.column : undefined;
  if (typeof line === "number" && typeof column === "number") { failure.line = line; failure.column = column; }
  else {
    // An AnalysisError names what it could not resolve (a column, a table, a function); mark its first mention.
    const name = [d.column, d.table, d.name, d.function].find((x): x is string => typeof x === "string");
    const at = name ? locate(source, name) : null;
    if (at) { failure.line = at.line; failure.column = at.column; }
  }
  if (Array.isArray(d.suggestions)) failure.suggestions = d.suggestions.map(String);
  return failure;
}

function locate(source: string, name: string): { line: number; column: number } | null {
  const bare = name.split(".").pop()!;
  const m = new RegExp(`\\b${bare.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").exec(source);
  if (!m) return null;
  const before = source.slice(0, m.index).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
