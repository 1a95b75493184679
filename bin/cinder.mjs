#!/usr/bin/env -S node --initial-old-space-size=256
// (A larger starting heap: V8's default one runs a full collection every few tens of ms under a
// scan's buffer churn; see src/cluster/v8-heap.ts.)
// Launcher of the `cinder` command: the built CLI when `npm run build` has
// produced it, otherwise the TypeScript sources through tsx (a checkout).
// In a checkout that has both, a build older than any source file is
// skipped: it would silently run stale code.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const built = new URL("../dist/src/cli/main.js", import.meta.url);
const sources = fileURLToPath(new URL("../src", import.meta.url));

/** Newest modification time of any file under `dir`. */
function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

const useBuilt = existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newest(sources));
if (useBuilt) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
