#!/usr/bin/env node
// Assembles every wasm/*.wat into wasm/<name>.wasm.ts, a module holding
// the binary as base64. Shipping the bytes inside a TS module lets one
// import work unchanged in Node, the page, Web Workers and bundles; the
// binaries are committed, so neither `npm start` nor the tests need wabt.
// test/wasm/wasm-build.test.ts fails when a .wat and its .wasm.ts differ.
// Usage: npm run build:wasm
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { assembleWat, wasmModuleSource } from "./wat.mjs";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "wasm");
for (const file of readdirSync(dir).filter((f) => f.endsWith(".wat"))) {
  const bytes = await assembleWat(file, readFileSync(join(dir, file), "utf8"));
  const out = join(dir, file.replace(/\.wat$/, ".wasm.ts"));
  writeFileSync(out, wasmModuleSource(file, bytes));
  console.log(`${file} -> ${out} (${bytes.length} bytes)`);
}
