/**
 * Loads parquet-wasm once per runtime (per page, Web Worker, worker thread
 * or edge isolate) and hands every caller the same initialised module. It
 * is imported on first use, not at start-up: its Node build compiles the
 * wasm as it loads (about 45 ms), which a query over no Parquet file (and
 * `cinder sql "select 1"`) should not pay.
 * - Node: the package's `node` export condition loads the wasm synchronously
 *   on import, so there is nothing to initialise.
 * - Browser page / Web Worker: the ESM build's default export `init()`
 *   fetches the `.wasm` next to the module (`import.meta.url`).
 * - workerd (Cloudflare Workers): fetching or compiling wasm from bytes is
 *   forbidden, so the host imports the `.wasm` as a module and initialises
 *   from it (parquet-wasm-sync.ts) before the first query.
 */
import type * as pw from "parquet-wasm";

export type ParquetWasm = typeof pw;

let ready: Promise<ParquetWasm> | null = null;

/** The initialised parquet-wasm module; imports and initialises it on the first call. */
export function loadParquetWasm(): Promise<ParquetWasm> {
  ready ??= (async () => {
    const module = await import("parquet-wasm");
    const init = (module as { default?: unknown }).default;
    // In Node the CommonJS build's default export is the exports object, not an init function.
    if (typeof init === "function") await (init as () => Promise<unknown>)();
    return module;
  })();
  return ready;
}

/** Hands over a module initialised by the host (workerd: see parquet-wasm-sync.ts). */
export function provideParquetWasm(module: ParquetWasm): void {
  ready = Promise.resolve(module);
}
