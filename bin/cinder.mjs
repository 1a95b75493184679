#!/usr/bin/env node
// Launcher of the `cinder` command: the built CLI when `npm run build` has
// produced it, otherwise the TypeScript sources through tsx (a checkout).
import { existsSync } from "node:fs";

const built = new URL("../dist/src/cli/main.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
