/**
 * Vite serves and builds the notebook (demo/): cross-origin isolated, so
 * executors in Web Workers share Arrow blocks through SharedArrayBuffer.
 * The page imports the engine as `cinder`, as any user would; the alias
 * points at the sources so `npm start` needs no engine build first.
 */
import { defineConfig } from "vite";
import type { Plugin } from "vite";
import { fileURLToPath } from "node:url";

/** The two headers that make a page cross-origin isolated. */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** Writes `_headers` (the file Cloudflare Pages and Netlify read) so a static host isolates the site too. */
function staticHostHeaders(): Plugin {
  return {
    name: "cinder-static-host-headers",
    apply: "build",
    generateBundle() {
      const lines = Object.entries(ISOLATION_HEADERS).map(([k, v]) => `  ${k}: ${v}`);
      this.emitFile({ type: "asset", fileName: "_headers", source: `/*\n${lines.join("\n")}\n` });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL("./demo", import.meta.url)),
  publicDir: false,
  resolve: { alias: { cinder: fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // parquet-wasm finds its .wasm next to its module (import.meta.url); pre-bundling would move the module away from it.
  // Dependencies found only once the page runs (the Web Worker's imports) would make vite re-bundle and reload
  // the page mid-session, so every entry is scanned up front.
  optimizeDeps: { exclude: ["parquet-wasm"], entries: ["index.html", "../workers/executor-web-worker.ts"], include: ["apache-arrow", "comlink", "acorn", "acorn-walk"] },
  worker: { format: "es" },
  server: { host: "127.0.0.1", port: 5173, headers: ISOLATION_HEADERS },
  preview: { host: "127.0.0.1", port: 4173, headers: ISOLATION_HEADERS },
  build: { outDir: fileURLToPath(new URL("./dist-site", import.meta.url)), emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 4096 },
  plugins: [staticHostHeaders()],
  logLevel: "warn",
});
