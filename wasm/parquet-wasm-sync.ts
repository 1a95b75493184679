/**
 * For workerd hosts: parquet-wasm imported up front and initialised from a
 * precompiled `WebAssembly.Module` (imported as a module by the bundler),
 * since an isolate may not compile wasm from bytes.
 */
import * as pw from "parquet-wasm";
import { provideParquetWasm } from "./parquet-wasm.ts";

export function initParquetWasmSync(module: WebAssembly.Module): void {
  pw.initSync({ module });
  provideParquetWasm(pw);
}
