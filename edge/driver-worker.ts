/**
 * A Cinder driver on the edge: a workerd module worker (a hono app) that
 * takes a SQL query over Parquet URLs, runs it across the edge executors
 * it is configured with, and answers the result as JSON or Arrow IPC.
 * The driver reads only the files' footers (to plan splits); executors
 * fetch the row groups they scan by HTTP range requests themselves.
 *
 * Bindings: `CINDER_EXECUTORS` (comma-separated executor URLs) and
 * `CINDER_EDGE_SECRET`.
 *
 * @example
 * curl -X POST https://driver.example/v1/query -H 'content-type: application/json' \
 *   -d '{"sql": "SELECT k, count(*) FROM t GROUP BY k", "tables": {"t": "https://data.example/t.parquet"}, "format": "json"}'
 */
import parquetWasmModule from "./parquet_wasm_bg.wasm";
import * as arrow from "apache-arrow";
import { Hono } from "hono";
import { initParquetWasmSync } from "../wasm/parquet-wasm-sync.ts";
import { Session } from "../src/api/session.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import { errorBody, statusOf } from "../src/cluster/http/protocol.ts";

interface Env {
  CINDER_EXECUTORS?: string;
  CINDER_EDGE_SECRET?: string;
}

interface QueryRequest {
  sql?: unknown;
  tables?: unknown;
  format?: unknown;
}

let wasmReady = false;

const app = new Hono<{ Bindings: Env }>();
app.onError((err, c) => c.json(errorBody(err), statusOf(err)));

app.post("/v1/query", async (c) => {
  if (!wasmReady) { initParquetWasmSync(parquetWasmModule); wasmReady = true; }
  const executors = (c.env.CINDER_EXECUTORS ?? "").split(",").map((u) => u.trim()).filter(Boolean);
  if (!executors.length || !c.env.CINDER_EDGE_SECRET) {
    return c.json({ error: { name: "CinderError", code: "WRONG_ARGUMENT", message: "this driver needs CINDER_EXECUTORS (executor URLs) and CINDER_EDGE_SECRET bindings" } }, 500);
  }
  const body = await c.req.json<QueryRequest>().catch(() => ({}) as QueryRequest);
  const tables = body.tables && typeof body.tables === "object" ? Object.entries(body.tables as Record<string, unknown>) : [];
  if (typeof body.sql !== "string" || tables.some(([, u]) => typeof u !== "string" || !/^https?:\/\//.test(u))) {
    return c.json({ error: { name: "CinderError", code: "WRONG_ARGUMENT", message: 'POST a JSON body {"sql": "...", "tables": {"name": "https://.../file.parquet"}, "format": "json" | "arrow"}' } }, 400);
  }
  const cluster = await Cluster.connect({ executors, secret: c.env.CINDER_EDGE_SECRET });
  try {
    const session = new Session();
    session.backend = cluster.backend();
    for (const [name, url] of tables) (await session.read.parquet(url as string)).createOrReplaceTempView(name);
    const df = session.sql(body.sql);
    if (body.format === "arrow") {
      const bytes = arrow.tableToIPC(await df.toArrow(), "stream");
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/vnd.apache.arrow.stream" });
    }
    const rows = await df.collectArrays();
    return c.json({ columns: df.schema.map((f) => f.name), rows, executors: cluster.executors.length, unreachable: cluster.unreachable });
  } finally {
    await cluster.stop();
  }
});

export default app;
