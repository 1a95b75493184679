// The published entry point: `import { Session, col, lit, sum } from "cinder"`
// resolves through package.json `exports` to the build in dist/ (npm test builds first).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

describe("package entry point", () => {
  it("imports from 'cinder' in plain Node ESM and runs a query", { skip: !existsSync("dist/src/index.js") && "run `npm run build` first" }, () => {
    const script = `
      import { Session, col, lit, sum } from "cinder";
      const s = new Session();
      const df = s.createDataFrame([{ a: 1 }, { a: 2 }, { a: 3 }]);
      const rows = await df.filter(col("a").gt(lit(1))).collect();
      console.log(JSON.stringify({ rows, sum: typeof sum }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { rows: [{ a: 2 }, { a: 3 }], sum: "function" });
  });
});
