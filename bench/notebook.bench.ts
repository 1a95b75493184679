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

const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/notebook.ts", "build"], { cwd: root, encoding: "utf8" });
if (build.status !== 0) throw new Error(build.stderr);
const served = await serveNotebook("preview");
const browser = await launchChromium();
try {
  const { page } = await openNotebook(browser, served.url);
  const figures = await page.evaluate(async ({ sql, runs }) => {
    type DF = { collect(): Promise<unknown[]> };
    type S = { sql(s: string): DF; read: { parquet(b: Uint8Array): Promise<{ createOrReplaceTempView(n: string): void }> } };
    const g = globalThis as unknown as { cinderNotebook: { session: S; cluster: { executors: unknown[] } }; cinderSamples: Record<string, string> };
    const cluster = g.cinderNotebook.session;
    const Local = (cluster as unknown as { constructor: new (c: Record<string, number>) => S }).constructor;
    const local = new Local({ "shuffle.partitions": 8 });
    const bytes = new Uint8Array(await (await fetch(g.cinderSamples.lineitem!)).arrayBuffer());
    (await local.read.parquet(bytes)).createOrReplaceTempView("lineitem");
    const measure = async (session: S) => {
      const times: number[] = [], longest: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const entries: number[] = [];
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
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      return { queryMs: median(times), longestTaskMs: median(longest), worstLongestTaskMs: Math.max(...longest) };
    };
    return { executors: g.cinderNotebook.cluster.executors.length, workers: await measure(cluster), inPage: await measure(local) };
  }, { sql: Q1, runs: RUNS });
  const version = browser.version();
  console.log(`TPC-H Q1 on the notebook's lineitem (SF 0.01), Chromium ${version}, median of ${RUNS} runs after a warm-up`);
  console.log(`${"".padEnd(34)}${"query ms".padStart(10)}${"longest main-thread task ms".padStart(30)}${"worst".padStart(8)}`);
  const row = (name: string, f: { queryMs: number; longestTaskMs: number; worstLongestTaskMs: number }) =>
    console.log(`${name.padEnd(34)}${f.queryMs.toFixed(1).padStart(10)}${f.longestTaskMs.toFixed(0).padStart(30)}${f.worstLongestTaskMs.toFixed(0).padStart(8)}`);
  row(`${figures.executors} Web Worker executors`, figures.workers);
  row("in-page (no executors)", figures.inPage);
  console.log(`longest main-thread task: workers / in-page = ${(figures.workers.longestTaskMs / Math.max(1, figures.inPage.longestTaskMs)).toFixed(2)}`);
} finally {
  await browser.close();
  await served.stop();
}
