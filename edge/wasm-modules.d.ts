/**
 * Types for `.wasm` imports in edge workers: workerd hands the worker a
 * precompiled `WebAssembly.Module` (Miniflare/wrangler `CompiledWasm`).
 */
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
