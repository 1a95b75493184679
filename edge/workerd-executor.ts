/**
 * An edge executor on workerd (Cloudflare Workers): the same hono app as on
 * Node, as a module worker. The executor lives in the isolate's module
 * scope, so its blocks outlive the request that wrote them for as long as
 * the isolate does; a new isolate is a new executor (a fresh id), and the
 * driver treats it as such. The secret comes from the `CINDER_EDGE_SECRET`
 * binding; `CINDER_EDGE_CORES` and `CINDER_EDGE_MAX_BODY` are optional.
 *
 * workerd forbids compiling code, so RDD functions fail here with
 * CodeGenerationError, and the WebAssembly kernels fall back to their JS
 * loops. parquet-wasm comes in as a precompiled module (see query-worker.ts).
 */
import parquetWasmModule from "./parquet_wasm_bg.wasm";
import { initParquetWasmSync } from "../wasm/parquet-wasm-sync.ts";
import { createExecutorApp } from "./executor-app.ts";

interface Env {
  CINDER_EDGE_SECRET?: string;
  CINDER_EDGE_CORES?: string;
  CINDER_EDGE_MAX_BODY?: string;
}

let app: Promise<{ fetch: (request: Request) => Response | Promise<Response> }> | null = null;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (!env.CINDER_EDGE_SECRET) {
      return Response.json({ error: { name: "CinderError", code: "WRONG_ARGUMENT", message: "this executor has no CINDER_EDGE_SECRET binding; set it (wrangler secret put CINDER_EDGE_SECRET)" } }, { status: 500 });
    }
    app ??= (async () => {
      initParquetWasmSync(parquetWasmModule);
      return (await createExecutorApp({
        secret: env.CINDER_EDGE_SECRET!, runtime: "workerd", cores: Number(env.CINDER_EDGE_CORES) || 1,
        // An isolate has about 128 MB; bodies are held whole while a request is read.
        memoryBytes: 128 * 1024 * 1024, maxBodyBytes: Number(env.CINDER_EDGE_MAX_BODY) || 32 * 1024 * 1024,
        // A handful of outgoing connections per isolate.
        transport: { maxInFlight: 4 },
      })).app;
    })();
    return (await app).fetch(request);
  },
};
