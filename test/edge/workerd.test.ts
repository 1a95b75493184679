/**
 * Cinder in workerd (the Cloudflare Workers runtime), through Miniflare on
 * 127.0.0.1: the edge entry `edge/query-worker.ts` is bundled with esbuild
 * the way a deployment would bundle it, parquet-wasm is handed to it as a
 * precompiled wasm module, and its answers are checked against DuckDB.
 * workerd refuses `eval`/`new Function`, so a query that succeeds here also
 * shows the engine's SQL path generates no code at run time.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { duckRows, duckRun, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const require = createRequire(import.meta.url);
const ROWS = 50_000;
const ROW_GROUP = 8_000;
const QUERY = "SELECT k, count(*) AS n, count(v) AS n_v, sum(v) AS total, min(s) AS first_s FROM t WHERE id >= 1000 AND k <> 'k3' GROUP BY k";

interface Answer { columns?: string[]; rows?: unknown[][]; error?: { name: string; code: string; message: string } }

describe("workerd edge entry (Miniflare on 127.0.0.1)", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "cinder-edge-"));
  let mf: Miniflare | null = null;
  let url: URL;
  let parquet: { path: string; bytes: Uint8Array<ArrayBuffer> };

  before(async () => {
    // duckToParquet takes no COPY options, and several row groups need ROW_GROUP_SIZE at this size.
    const path = join(scratchDir, "edge-groups.parquet");
    await duckRun(`COPY (SELECT i AS id, 'k' || (i % 7) AS k, 's' || (i % 101) AS s,
        CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 1000) * 0.5 END AS v FROM range(${ROWS}) t(i))
      TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP})`);
    parquet = { path, bytes: new Uint8Array(readFileSync(path)) };
    await build({
      entryPoints: [join(import.meta.dirname, "../../edge/query-worker.ts")],
      outfile: join(dir, "query-worker.js"),
      bundle: true, format: "esm", platform: "browser", target: "es2022",
      conditions: ["workerd", "worker", "browser"],
      external: ["./parquet_wasm_bg.wasm"],
      logLevel: "silent",
    });
    copyFileSync(require.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"), join(dir, "parquet_wasm_bg.wasm"));
    mf = new Miniflare({
      workers: [
        {
          name: "cinder-query",
          modulesRoot: dir, // module names are paths relative to this; the default (cwd) would give "../" names workerd rejects
          modules: [
            { type: "ESModule", path: join(dir, "query-worker.js") },
            { type: "CompiledWasm", path: join(dir, "parquet_wasm_bg.wasm") },
          ],
          compatibilityDate: "2026-04-01",
        },
        {
          // Shows this isolate really forbids code generation, so the query test means something.
          name: "codegen-probe",
          modules: true,
          script: `export default { fetch() {
            try { return new Response("allowed:" + new Function("return 1")()); }
            catch (e) { return new Response("refused:" + e.message); } } };`,
          compatibilityDate: "2026-04-01",
        },
      ],
      host: "127.0.0.1",
      port: 0,
    });
    url = await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(body: Uint8Array<ArrayBuffer>, sql: string): Promise<{ status: number; answer: Answer }> {
    const response = await fetch(url, { method: "POST", body, headers: { "x-cinder-sql": sql }, signal: AbortSignal.timeout(20_000) });
    return { status: response.status, answer: (await response.json()) as Answer };
  }

  it("listens on loopback and refuses new Function in the isolate", async () => {
    assert.equal(url.hostname, "127.0.0.1");
    // Miniflare's Fetcher type comes from workers-types, which this project does not load; the call is the documented one.
    const worker = (await mf!.getWorker("codegen-probe")) as unknown as { fetch(url: string): Promise<{ text(): Promise<string> }> };
    const probe = await worker.fetch("http://probe/");
    const text = await probe.text();
    assert.match(text, /^refused:/, `workerd was expected to forbid code generation, got ${text}`);
  });

  it("answers a filtered group-by over a multi-row-group Parquet file like DuckDB", async () => {
    const groups = await duckRows(`SELECT count(*) FROM parquet_metadata('${parquet.path}') GROUP BY row_group_id`);
    assert.ok(groups.length >= 4, `the test file should have several row groups, has ${groups.length}`);
    const { status, answer } = await post(parquet.bytes, QUERY);
    assert.equal(status, 200, JSON.stringify(answer.error));
    assert.deepEqual(answer.columns, ["k", "n", "n_v", "total", "first_s"]);
    const expected = await duckRows(QUERY.replace("FROM t", `FROM read_parquet('${parquet.path}')`));
    assert.equal(expected.length, 6);
    assertRowsEqual(answer.rows!, expected);
  });

  it("answers corrupt bytes with the typed Cinder error and status 400, then keeps serving", async () => {
    const bad = new Uint8Array(parquet.bytes);
    bad.set([0x58, 0x58, 0x58, 0x58], bad.length - 4); // the trailing "PAR1" magic
    const { status, answer } = await post(bad, "SELECT count(*) FROM t");
    assert.equal(status, 400);
    assert.equal(answer.error?.code, "CORRUPT_PARQUET", JSON.stringify(answer));
    assert.match(answer.error!.message, /not a Parquet file/);
    const again = await post(parquet.bytes, "SELECT count(*) AS n FROM t");
    assert.equal(again.status, 200, JSON.stringify(again.answer.error));
    assert.deepEqual(again.answer.rows, [[ROWS]]);
  });
});
