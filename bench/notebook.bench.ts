/**
 * The notebook page stays responsive while a job runs: in the built site
 * (served by `npm run preview`, headless Chromium), TPC-H Q1 over the
 * bundled lineitem runs with the notebook's Web Worker executors and, as
 * the peer in the same page, on a session without executors (every
 * operator on the main thread). A PerformanceObserver records the main
 * thread's long tasks (over 50 ms) during each run; the longest one is
 * how long the page could not answer a click.
 *
 *   npm run bench -- notebook
 */
import { spawnSync } from "node:child_process";
import { launchChromium, openNotebook, root, serveNotebook } from "../test/demo/support/notebook-page.ts";

const RUNS = 5;
const Q1 = `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
  FROM lineitem WHERE l_shipdate <= DATE '1998-09-02' GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus`;

/** Rows of the synthetic grouping: enough work (about a second in the page) for long tasks to show. */
const BIG_ROWS = 8_000_000;
const GROUP_BY = "SELECT k, sum(v) AS s, count(*) AS n FROM big GROUP BY k";

interface Run { queryMs: number; longestTaskMs: number; worstLongestTaskMs: number }
interface Figures { executors: number; workers: Run; inPage: Run }

/** Runs in the page: the query `runs` times (after a warm-up) on the notebook's cluster session and on a local session. */
const MEASURE_IN_PAGE = `async ({ sql, runs }) => {
  const engine = globalThis.cinderNotebook, cluster = engine.session;
  const local = new cluster.constructor({ "shuffle.partitions": 8 });
  const bytes = new Uint8Array(await (await fetch(globalThis.cinderSamples.lineitem)).arrayBuffer());
  (await local.read.parquet(bytes)).createOrReplaceTempView("lineitem");
  for (const s of [cluster, local]) s.range(0, ${BIG_ROWS}, 1, 8).selectExpr("id % 1000 AS k", "id % 97 AS v").createOrReplaceTempView("big");
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const measure = async (session) => {
    const times = [], longest = [];
    for (let i = 0; i <= runs; i++) {
      const entries = [];
      const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) entries.push(e.duration); });
      observer.observe({ type: "longtask" });
      const t0 = performance.now();
      await session.sql(sql).collect();
      const ms = performance.now() - t0;
      await new Promise((r) => setTimeout(r, 100)); // long-task entries arrive after the task
      observer.disconnect();
      if (i === 0) continue; // warm-up
      times.push(ms);
      longest.push(Math.max(0, ...entries));
    }
    return { queryMs: median(times), longestTaskMs: median(longest), worstLongestTaskMs: Math.max(...longest) };
  };
  return { executors: engine.cluster.executors.length, workers: await measure(cluster), inPage: await measure(local) };
}`;


const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/notebook.ts", "build"], { cwd: root, encoding: "utf8" });
if (build.status !== 0) throw new Error(build.stderr);
const served = await serveNotebook("preview");
const browser = await launchChromium();
try {
  const { page } = await openNotebook(browser, served.url);
  const version = browser.version();
  console.log(`The notebook's main thread during a query, Chromium ${version}, median of ${RUNS} runs after a warm-up`);
  console.log(`${"".padEnd(52)}${"query ms".padStart(10)}${"longest main-thread task ms".padStart(30)}${"worst".padStart(8)}`);
  const row = (name: string, f: Run) =>
    console.log(`${name.padEnd(52)}${f.queryMs.toFixed(1).padStart(10)}${f.longestTaskMs.toFixed(0).padStart(30)}${f.worstLongestTaskMs.toFixed(0).padStart(8)}`);
  for (const [name, sql] of [["TPC-H Q1, lineitem SF 0.01", Q1], [`group-by of ${BIG_ROWS.toLocaleString("en")} rows`, GROUP_BY]] as const) {
    // Plain JavaScript text: tsx would add helpers to a function passed here that the page does not have.
    const figures = await page.evaluate(`(${MEASURE_IN_PAGE})(${JSON.stringify({ sql, runs: RUNS })})`) as Figures;
    row(`${name}: ${figures.executors} Web Worker executors`, figures.workers);
    row(`${name}: in-page (no executors)`, figures.inPage);
    console.log(`  query time workers / in-page = ${(figures.workers.queryMs / figures.inPage.queryMs).toFixed(2)}; longest main-thread task ${figures.workers.longestTaskMs.toFixed(0)} ms vs ${figures.inPage.longestTaskMs.toFixed(0)} ms`);
  }
} finally {
  await browser.close();
  await served.stop();
}
