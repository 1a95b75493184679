/**
 * TPC-H in one cross-origin-isolated page (bundled and driven by
 * `bench/browser.bench.ts`): the Parquet bytes of the eight tables are
 * fetched once, then each engine runs every query the URL names, engines
 * interleaved per query (one warm-up each, then `runs` rounds in turn):
 * - Cinder in the page (the local backend, one thread, `shuffle.partitions` 1 as the CLI in-process);
 * - Cinder on 1, 2, … Web Worker executors (Parquet bytes shipped to each worker once);
 * - the same in the page and on the most workers over tables cached first (`df.cache()`), as DuckDB's are;
 * - DuckDB-WASM, default (eh) build in its own worker, the same tables loaded as Arrow IPC (its npm
 *   package has no Parquet extension offline), timing only the query on loaded tables.
 * Also: the first answer from the Parquet bytes (open + Q6, load included) for both engines, the page's
 * longest main-thread task while each engine ran, per-task overhead (empty tasks per second) on the
 * workers. Cinder's rows (first run) go back to the driver, which checks them against native DuckDB.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import * as arrow from "apache-arrow";
import { Session } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { TPCH_QUERIES } from "../../test/support/tpch/queries.ts";

export interface EngineFigure { medianMs: number; times: number[]; longestTaskMs: number }
/** `answers`: each Cinder engine's rows and DuckDB-WASM's row count, from the warm-up run. */
export interface QueryFigure { id: number; engines: Record<string, EngineFigure>; answers: Record<string, unknown[][] | number> }
export interface PageReport {
  browser: string; cores: number; duckdb: string;
  queries: QueryFigure[];
  firstAnswer: Record<string, number>;
  emptyTaskMs: Record<string, number>;
  heapMB: number;
}

const TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"];
const params = new URLSearchParams(location.search);
const sf = params.get("sf") ?? "0.1";
const executorCounts = (params.get("executors") ?? "1,2").split(",").map(Number).filter((n) => n > 0);
const runs = Number(params.get("runs") ?? 3);
const wanted = params.get("queries")?.split(",").map(Number);
const withCached = params.get("cached") !== "0";
const out = document.getElementById("out")!;
const print = (s: string) => { out.textContent += s + "\n"; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Long main-thread tasks (over 50 ms, Chromium's longtask entries) seen since the last `take()`. */
class LongTasks {
  private longest = 0;
  constructor() {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) this.longest = Math.max(this.longest, e.duration); }).observe({ type: "longtask", buffered: false });
  }
  /** The longest since the last call (0: none over 50 ms); waits a frame so pending entries arrive. */
  async take(): Promise<number> {
    await new Promise((r) => setTimeout(r, 0));
    const l = this.longest;
    this.longest = 0;
    return l;
  }
}

interface Engine {
  name: string;
  run(sql: string): Promise<unknown[][] | number>;
  stop(): Promise<void>;
}

/** JSON-safe cells: bigints as numbers, dates as ISO text (as the oracle's rows are normalized). */
function plain(rows: unknown[][]): unknown[][] {
  return rows.map((r) => r.map((v) => (typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString().slice(0, v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds() ? 19 : 10) : v)));
}

/** Cinder over the Parquet bytes (every query decodes what it reads), or over the tables cached first (`cached`). */
async function cinderEngine(name: string, files: Map<string, Uint8Array>, executors: number, cached = false): Promise<Engine> {
  const session = new Session({ "shuffle.partitions": Math.max(1, 2 * executors) });
  const cluster = executors > 0 ? await Cluster.start({ executors, kind: "web-worker" }) : null;
  if (cluster) session.backend = cluster.backend();
  for (const t of TABLES) {
    const df = await session.read.parquet(files.get(t)!);
    if (cached) await df.cache().count();
    df.createOrReplaceTempView(t);
  }
  return {
    name,
    run: async (sql) => plain(await session.sql(sql).collectArrays()),
    stop: async () => { await cluster?.stop(); },
  };
}

const DUCKDB_BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: "/duckdb/duckdb-mvp.wasm", mainWorker: "/duckdb/duckdb-browser-mvp.worker.js" },
  eh: { mainModule: "/duckdb/duckdb-eh.wasm", mainWorker: "/duckdb/duckdb-browser-eh.worker.js" },
};

async function openDuckDB(): Promise<{ db: duckdb.AsyncDuckDB; conn: duckdb.AsyncDuckDBConnection; description: string }> {
  const bundle = await duckdb.selectBundle(DUCKDB_BUNDLES);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker!));
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const conn = await db.connect();
  const build = bundle.mainModule.endsWith("eh.wasm") ? "eh" : "mvp";
  return { db, conn, description: `DuckDB-WASM ${await db.getVersion()} (${build} build)` };
}

/** The tables as Arrow IPC streams, decoded from the Parquet bytes once (by Cinder, untimed). */
async function ipcTables(files: Map<string, Uint8Array>): Promise<Map<string, Uint8Array>> {
  const session = new Session({ "shuffle.partitions": 1 });
  const ipc = new Map<string, Uint8Array>();
  for (const t of TABLES) ipc.set(t, arrow.tableToIPC(await (await session.read.parquet(files.get(t)!)).toArrow(), "stream"));
  return ipc;
}

async function duckdbEngine(ipc: Map<string, Uint8Array>): Promise<Engine & { description: string }> {
  const { db, conn, description } = await openDuckDB();
  // A copy: the insert transfers the buffer to DuckDB's worker, which detaches it here.
  for (const [t, bytes] of ipc) await conn.insertArrowFromIPCStream(bytes.slice(), { name: t, create: true });
  return {
    name: "duckdb-wasm", description,
    run: async (sql) => (await conn.query(sql)).numRows,
    stop: async () => { await conn.close(); await db.terminate(); },
  };
}

/** From the bytes of lineitem.parquet to the answer of Q6, each engine from nothing (DuckDB: from the IPC stream). */
async function firstAnswers(files: Map<string, Uint8Array>, ipc: Map<string, Uint8Array>): Promise<Record<string, number>> {
  const q6 = TPCH_QUERIES.find((q) => q.id === 6)!.sql;
  let t0 = performance.now();
  const session = new Session({ "shuffle.partitions": 1 });
  (await session.read.parquet(files.get("lineitem")!)).createOrReplaceTempView("lineitem");
  await session.sql(q6).collectArrays();
  const cinder = performance.now() - t0;
  t0 = performance.now();
  const { db, conn } = await openDuckDB();
  await conn.insertArrowFromIPCStream(ipc.get("lineitem")!.slice(), { name: "lineitem", create: true });
  await conn.query(q6);
  const duck = performance.now() - t0;
  await conn.close(); await db.terminate();
  return { "cinder in-page (Parquet bytes)": cinder, "duckdb-wasm (start + Arrow IPC load)": duck };
}

/** Milliseconds per task of a job of `tasks` near-empty tasks (one row each), after a warm-up. */
async function emptyTaskMs(executors: number, tasks = 256): Promise<number> {
  const session = new Session({ "shuffle.partitions": 1 });
  const cluster = await Cluster.start({ executors, kind: "web-worker" });
  session.backend = cluster.backend();
  try {
    const df: DataFrame = session.createDataFrame(Array.from({ length: tasks }, (_, i) => ({ i })), { schema: { i: "int" }, numPartitions: tasks });
    await df.collectArrays();
    const t0 = performance.now();
    for (let r = 0; r < 3; r++) await df.collectArrays();
    return (performance.now() - t0) / 3 / tasks;
  } finally { await cluster.stop(); }
}

async function main(): Promise<PageReport> {
  if (!crossOriginIsolated) throw new Error("the page is not cross-origin isolated: SharedArrayBuffer is missing (serve it with COOP/COEP)");
  print(`crossOriginIsolated=${crossOriginIsolated} hardwareConcurrency=${navigator.hardwareConcurrency} sf=${sf}`);
  const files = new Map<string, Uint8Array>();
  for (const t of TABLES) files.set(t, new Uint8Array(await (await fetch(`/data/sf${sf}/${t}.parquet`)).arrayBuffer()));
  const ipc = await ipcTables(files);
  const longTasks = new LongTasks();
  const engines: Engine[] = [await cinderEngine("cinder in-page", files, 0)];
  for (const n of executorCounts) engines.push(await cinderEngine(`cinder ${n} worker${n > 1 ? "s" : ""}`, files, n));
  if (withCached) {
    engines.push(await cinderEngine("cinder in-page cached", files, 0, true));
    const most = Math.max(...executorCounts);
    engines.push(await cinderEngine(`cinder ${most} worker${most > 1 ? "s" : ""} cached`, files, most, true));
  }
  const duck = await duckdbEngine(ipc);
  // Only lineitem's stream is needed again (first answers); the rest would hold memory a large scale factor needs.
  for (const t of TABLES) if (t !== "lineitem") ipc.delete(t);
  engines.push(duck);
  print(`${duck.description}; engines: ${engines.map((e) => e.name).join(", ")}; ${runs} rounds after a warm-up`);
  const queries: QueryFigure[] = [];
  try {
    for (const q of TPCH_QUERIES.filter((x) => !wanted || wanted.includes(x.id))) {
      const figure: QueryFigure = { id: q.id, engines: {}, answers: {} };
      const times = new Map<string, number[]>(engines.map((e) => [e.name, []]));
      const longest = new Map<string, number>(engines.map((e) => [e.name, 0]));
      for (let round = -1; round < runs; round++) {
        for (const e of engines) {
          await longTasks.take();
          const t0 = performance.now();
          const result = await e.run(q.sql);
          const ms = performance.now() - t0;
          longest.set(e.name, Math.max(longest.get(e.name)!, await longTasks.take()));
          if (round < 0) figure.answers[e.name] = result;
          else times.get(e.name)!.push(ms);
        }
      }
      for (const e of engines) figure.engines[e.name] = { medianMs: median(times.get(e.name)!), times: times.get(e.name)!, longestTaskMs: longest.get(e.name)! };
      queries.push(figure);
      print(`Q${q.id}: ${engines.map((e) => `${e.name} ${figure.engines[e.name]!.medianMs.toFixed(0)} ms`).join(", ")}`);
    }
  } finally { for (const e of engines) await e.stop(); }
  const firstAnswer = await firstAnswers(files, ipc);
  const emptyTask: Record<string, number> = {};
  for (const n of executorCounts) emptyTask[`${n} worker${n > 1 ? "s" : ""}`] = await emptyTaskMs(n);
  const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
  return { browser: navigator.userAgent, cores: navigator.hardwareConcurrency, duckdb: duck.description, queries, firstAnswer, emptyTaskMs: emptyTask, heapMB: heap / 1e6 };
}

const w = window as unknown as { __tpchBench?: { report?: PageReport; error?: string } };
main().then((report) => { w.__tpchBench = { report }; print("done"); },
  (e: unknown) => { w.__tpchBench = { error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) }; print(`failed: ${String(e)}`); });
