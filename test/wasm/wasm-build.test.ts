/**
 * Every committed wasm/*.wasm.ts is what scripts/build-wasm.mjs assembles
 * from its .wat today: an edit to a kernel's text that was not rebuilt
 * (`npm run build:wasm`) fails here instead of shipping the old binary.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error: a plain .mjs build script, without type declarations
import { assembleWat, wasmModuleSource } from "../../scripts/wat.mjs";

const dir = join(import.meta.dirname, "..", "..", "wasm");

describe("wasm builds", () => {
  for (const wat of readdirSync(dir).filter((f) => f.endsWith(".wat"))) {
    it(`${wat} matches its committed binary`, async () => {
      const bytes = await assembleWat(wat, readFileSync(join(dir, wat), "utf8"));
      const committed = readFileSync(join(dir, wat.replace(/\.wat$/, ".wasm.ts")), "utf8");
      assert.equal(committed, wasmModuleSource(wat, bytes), "run `npm run build:wasm`");
    });
  }
});
