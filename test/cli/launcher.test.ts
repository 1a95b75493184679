/**
 * `bin/cinder.mjs` picks what to run: the build when it is at least as new
 * as every source file (or there are no sources, as in the npm package),
 * the TypeScript sources through tsx otherwise, so a stale build in a
 * checkout never runs. Checked on a scratch copy whose two entry points
 * print which one ran.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

describe("bin/cinder.mjs", () => {
  // Inside the repository (test-output/ is gitignored) so that tsx resolves from node_modules.
  mkdirSync("test-output", { recursive: true });
  const root = mkdtempSync(join("test-output", "launcher-"));
  const built = join(root, "dist", "src", "cli", "main.js"), source = join(root, "src", "cli", "main.ts");
  const run = () => spawnSync(process.execPath, [join(root, "bin", "cinder.mjs")], { encoding: "utf8" });
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);
  before(() => {
    mkdirSync(join(root, "bin"), { recursive: true });
    copyFileSync(join("bin", "cinder.mjs"), join(root, "bin", "cinder.mjs"));
    mkdirSync(join(root, "dist", "src", "cli"), { recursive: true });
    mkdirSync(join(root, "src", "cli"), { recursive: true });
    writeFileSync(built, 'console.log("built");\n');
    writeFileSync(source, 'const which: string = "source";\nconsole.log(which);\n');
  });

  it("runs the build when it is newer than every source file", () => {
    at(source, 1_000_000); at(built, 2_000_000);
    const r = run();
    assert.equal(r.stdout, "built\n", r.stderr);
  });

  it("runs the sources through tsx when a source file is newer than the build", () => {
    at(source, 3_000_000);
    const r = run();
    assert.equal(r.stdout, "source\n", r.stderr);
  });

  it("runs the build when there are no sources (the npm package)", () => {
    rmSync(join(root, "src"), { recursive: true });
    const r = run();
    assert.equal(r.stdout, "built\n", r.stderr);
  });
});
