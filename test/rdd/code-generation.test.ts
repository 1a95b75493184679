/**
 * Executors in a runtime that forbids code generation from strings (what
 * workerd enforces; here V8's own --disallow-code-generation-from-strings
 * on a Node process and the worker threads it starts) fail an RDD job with
 * a typed CodeGenerationError instead of crashing, and keep running
 * DataFrame jobs, which never generate code.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

describe("RDD functions where code generation is forbidden", () => {
  it("fail with CodeGenerationError (UNSUPPORTED) on the local backend and on worker threads; DataFrames still run", async () => {
    const fixture = fileURLToPath(new URL("./fixtures/no-codegen-job.ts", import.meta.url));
    const { stdout } = await run(process.execPath, ["--disallow-code-generation-from-strings", "--import", "tsx", fixture], { timeout: 120_000 });
    const report = JSON.parse(stdout.trim().split("\n").pop()!) as Record<string, { ok: boolean; name?: string; code?: string; message?: string; value?: unknown }> & { generationBlocked: boolean; clusterAlive: boolean[] };
    assert.equal(report.generationBlocked, true, "the switch is on in the child process");
    for (const key of ["localRdd", "clusterRdd"] as const) {
      const r = report[key]!;
      assert.equal(r.ok, false, key);
      assert.equal(r.name, "CodeGenerationError", key);
      assert.equal(r.code, "UNSUPPORTED", key);
      assert.match(r.message!, /forbids compiling code from strings/);
      assert.match(r.message!, /map \(x=>x\+1\)|map \(\(x\) => x \+ 1\)/);
    }
    assert.deepEqual(report.localDataFrame, { ok: true, value: { k: "a", s: 3 } });
    assert.deepEqual(report.clusterDataFrame, { ok: true, value: { k: "a", s: 3 } });
    assert.deepEqual(report.clusterAlive, [true, true], "no executor crashed");
  });
});
