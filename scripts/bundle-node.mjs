#!/usr/bin/env node
/**
 * After `tsc` has written dist/: bundles the Node entry points into one
 * file each, in place of tsc's output, so `cinder` and each worker-thread
 * executor load one module instead of some 300 (their start-up was almost
 * all module resolution and loading). Each bundle keeps its entry's path,
 * so the `new URL("../../workers/…", import.meta.url)` lookups still
 * resolve. parquet-wasm stays external: its Node build loads its `.wasm`
 * from beside its own file.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const entries = [
  ["src/cli/main.ts", "dist/src/cli/main.js"],
  ["workers/executor-thread.ts", "dist/workers/executor-thread.js"],
];
for (const [from, to] of entries) {
  await build({
    absWorkingDir: root, entryPoints: [from], outfile: to, bundle: true, platform: "node", format: "esm",
    target: "node20", external: ["parquet-wasm"], logLevel: "warning", legalComments: "none", minify: true, keepNames: true,
  });
}
