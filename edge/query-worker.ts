/**
 * Cinder on the edge: a workerd (Cloudflare Workers) module worker that
 * answers SQL over a Parquet file. POST the file's bytes as the body and the
 * query in the `x-cinder-sql` header or the `sql` query-string parameter;
 * the answer is JSON `{ columns, rows }`, or `{ error: { name, code,
 * message } }` with status 400 when Cinder rejects the input or the query.
 *
 * workerd forbids fetching or compiling wasm at run time, so the bundler
 * leaves `./parquet_wasm_bg.wasm` as an import and the host supplies it as
 * a precompiled module (Miniflare: a `CompiledWasm` module; wrangler: a
 * `CompiledWasm` rule). Bundle with
 * `esbuild edge/query-worker.ts --bundle --format=esm --platform=browser
 *  --conditions=workerd,worker,browser --external:./parquet_wasm_bg.wasm`
 * and put the package's `esm/parquet_wasm_bg.wasm` next to the output.
 *
 * @example
 * curl -X POST --data-binary @data.parquet \
 *   -H 'x-cinder-sql: SELECT k, count(*) AS n FROM t GROUP BY k' https://worker.example/
 */
import parquetWasmModule from "./parquet_wasm_bg.wasm";
import { initParquetWasmSync } from "../wasm/parquet-wasm-sync.ts";
import { Session } from "../src/api/session.ts";
import { CinderError } from "../src/common/errors.ts";
import type { CellValue } from "../src/exec/values.ts";

/** The view name the posted file is registered under (override with `x-cinder-table` / `table`). */
const DEFAULT_TABLE = "t";

let wasmReady = false;

/** Initialises parquet-wasm once per isolate (each isolate serves many requests). */
function ensureParquetWasm(): void {
  if (wasmReady) return;
  initParquetWasmSync(parquetWasmModule);
  wasmReady = true;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** Dates travel as ISO strings (dates without a time part as `YYYY-MM-DD`), like DuckDB's and Spark's text form. */
function jsonCell(v: CellValue): string | number | boolean | null {
  if (!(v instanceof Date)) return v;
  const iso = v.toISOString();
  return v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds() || v.getUTCMilliseconds() ? iso : iso.slice(0, 10);
}

function badRequest(code: string, message: string): Response {
  return json({ error: { name: "BadRequest", code, message } }, 400);
}

/** Runs `sql` over the posted Parquet bytes with a fresh local session (the isolate keeps no data between requests). */
async function answer(request: Request): Promise<Response> {
  if (request.method !== "POST") return badRequest("WRONG_ARGUMENT", `use POST with the Parquet file as the body (got ${request.method})`);
  const url = new URL(request.url);
  const sql = request.headers.get("x-cinder-sql") ?? url.searchParams.get("sql");
  if (!sql) return badRequest("WRONG_ARGUMENT", "no query: pass it in the x-cinder-sql header or the sql query parameter");
  const table = request.headers.get("x-cinder-table") ?? url.searchParams.get("table") ?? DEFAULT_TABLE;
  const bytes = new Uint8Array(await request.arrayBuffer());
  ensureParquetWasm();
  const session = new Session();
  const df = await session.read.parquet(bytes);
  df.createOrReplaceTempView(table);
  const result = session.sql(sql);
  const rows = (await result.collectArrays()).map((row) => row.map(jsonCell));
  return json({ columns: result.columns, rows });
}

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      return await answer(request);
    } catch (e) {
      if (CinderError.is(e)) return json({ error: { name: e.name, code: e.code, message: e.message } }, 400);
      const message = e instanceof Error ? e.message : String(e);
      return json({ error: { name: "Error", code: "INTERNAL", message } }, 500);
    }
  },
};
