/**
 * The driver on the edge: edge/driver-worker.ts in workerd (Miniflare on
 * 127.0.0.1) takes SQL over Parquet URLs (served with Range by a Node
 * server on loopback), runs it across two edge executors (Node and
 * workerd), and answers JSON or Arrow IPC equal to DuckDB's result.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { rmSync } from "node:fs";
import * as arrow from "apache-arrow";
import { Miniflare } from "miniflare";
import { bundleForWorkerd, startLocalExecutors, stopLocalExecutors } from "../../edge/local-executors.ts";
import type { LocalExecutor } from "../../edge/local-executors.ts";
import { startRangeServer } from "../io/range-server.ts";
import type { RangeServer } from "../io/range-server.ts";
import { duckRows, duckRun, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { TEST_SECRET } from "./support/edge-cluster.ts";

const SQL = "SELECT o.k, d.name, count(*) AS n, sum(o.v) AS total FROM orders o JOIN dims d ON o.k = d.k WHERE o.v > 10 GROUP BY o.k, d.name";

describe("a driver in workerd over edge executors", { timeout: 120_000 }, () => {
  let executors: LocalExecutor[] = [];
  let servers: RangeServer[] = [];
  let mf: Miniflare | null = null;
  let driver: URL;
  let bundle = "";
  const tables: Record<string, string> = {};

  before(async () => {
    const orders = join(scratchDir, "edge-orders.parquet"), dims = join(scratchDir, "edge-dims.parquet");
    await duckRun(`CREATE OR REPLACE TABLE orders AS SELECT i AS id, i % 50 AS k, (i * 37) % 1000 / 10.0 AS v FROM range(60000) t(i)`);
    await duckRun(`CREATE OR REPLACE TABLE dims AS SELECT i AS k, 'name' || i AS name FROM range(50) t(i)`);
    await duckRun(`COPY orders TO '${orders}' (FORMAT parquet, ROW_GROUP_SIZE 10000)`);
    await duckRun(`COPY dims TO '${dims}' (FORMAT parquet)`);
    servers = [await startRangeServer(orders), await startRangeServer(dims)];
    tables.orders = servers[0]!.url;
    tables.dims = servers[1]!.url;
    executors = await startLocalExecutors({ executors: 2, runtime: "mixed", secret: TEST_SECRET });
    bundle = await bundleForWorkerd("driver-worker");
    mf = new Miniflare({
      modulesRoot: bundle,
      modules: [{ type: "ESModule", path: join(bundle, "driver-worker.js") }, { type: "CompiledWasm", path: join(bundle, "parquet_wasm_bg.wasm") }],
      compatibilityDate: "2026-04-01",
      bindings: { CINDER_EXECUTORS: executors.map((e) => e.url).join(","), CINDER_EDGE_SECRET: TEST_SECRET },
      host: "127.0.0.1", port: 0,
    });
    driver = await mf.ready;
  });
  after(async () => {
    await mf?.dispose();
    await stopLocalExecutors(executors);
    await Promise.all(servers.map((s) => s.close()));
    if (bundle) rmSync(bundle, { recursive: true, force: true });
  });

  const query = (body: unknown) => fetch(new URL("/v1/query", driver), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("answers JSON equal to DuckDB's, run on both executors", async () => {
    const r = await query({ sql: SQL, tables, format: "json" });
    const body = await r.json() as { columns: string[]; rows: unknown[][]; executors: number; error?: unknown };
    assert.equal(r.status, 200, JSON.stringify(body.error));
    assert.deepEqual(body.columns, ["k", "name", "n", "total"]);
    assert.equal(body.executors, 2);
    assertRowsEqual(body.rows, await duckRows(SQL));
  });

  it("answers Arrow IPC", async () => {
    const r = await query({ sql: SQL, tables, format: "arrow" });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/vnd.apache.arrow.stream");
    const table = arrow.tableFromIPC(new Uint8Array(await r.arrayBuffer()));
    const rows = table.toArray().map((row) => table.schema.fields.map((f) => { const v = (row as Record<string, unknown>)[f.name]; return typeof v === "bigint" ? Number(v) : v; }));
    assertRowsEqual(rows, await duckRows(SQL));
  });

  it("answers a bad request and a bad query with a JSON error, no stack", async () => {
    const bad = await query({ sql: 42 });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json() as { error: { code: string } }).error.code, "WRONG_ARGUMENT");
    const unknown = await query({ sql: "SELECT nope FROM orders", tables });
    assert.equal(unknown.status, 400);
    const e = (await unknown.json() as { error: { code: string; message: string; stack?: string } }).error;
    assert.equal(e.code, "UNRESOLVED_COLUMN");
    assert.equal(e.stack, undefined);
  });
});
