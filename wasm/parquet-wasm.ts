/**
 * Loads parquet-wasm once per runtime (per page, Web Worker, worker thread
 * or edge isolate) and hands every caller the same initialised module.
 * - Node: the package's `node` export condition loads the wasm synchronously
 *   on import, so there is nothing to initialise.
 * - Browser page / Web Worker: the ESM build's default export `init()`
 *   fetches the `.wasm` next to the module (`import.meta.url`).
 * - workerd (Cloudflare Workers): fetching or compiling wasm from bytes is
 *   forbidden, so the host imports the `.wasm` as a module and calls
 *   `initParquetWasmSync(module)` before the first query.
 */
import * as pw from "parquet-wasm";

export type ParquetWasm = typeof pw;

let ready: Promise<ParquetWasm> | null = null;

/** The initialised parquet-wasm module; initialises it on the first call. */
export function loadParquetWasm(): Promise<ParquetWasm> {
  ready ??= (async () => {
    const init = (pw as { default?: unknown }).default;
    // In Node the CommonJS build's default export is the exports object, not an init function.
    if (typeof init === "function") await (init as () => Promise<unknown>)();
    return pw;
  })();
  return ready;
}

/** For workerd: initialise from a precompiled `WebAssembly.Module` (imported as a module by the bundler). */
export function initParquetWasmSync(module: WebAssembly.Module): void {
  pw.initSync({ module });
  ready = Promise.resolve(pw);
}
