/**
 * In-page shuffle throughput: bundles `bench/page/shuffle-page.ts` and the
 * Web Worker executor with esbuild, serves them from a small static server
 * on 127.0.0.1 that sends COOP/COEP (so the page is cross-origin isolated
 * and blocks live in SharedArrayBuffers), opens the page in Debian's
 * headless Chromium through playwright-core (no browser download), and
 * prints the GB/s the page measured with 1 and 2 Web Worker executors.
 *
 * Run: `npm run bench -- shuffle` (with the Node shuffle bench) or
 * `npx tsx bench/shuffle-page.bench.ts`; PAGE_ROWS=2000000,17000000 for the
 * sizes, PAGE_EXECUTORS=1,2, PAGE_RUNS=5.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const ROWS = process.env.PAGE_ROWS ?? "2000000,17000000";
const EXECUTORS = process.env.PAGE_EXECUTORS ?? "1,2";
const RUNS = process.env.PAGE_RUNS ?? "5";
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");

if (!existsSync(CHROMIUM)) {
  console.log(`in-page shuffle bench skipped: ${CHROMIUM} is missing (node scripts/ensure-chromium.mjs installs Debian's chromium)`);
  process.exit(0);
}

const root = new URL("..", import.meta.url).pathname;
// Node built-ins are only reached by dynamic imports on paths a page never takes (worker threads, files, DuckDB):
// code splitting keeps those modules in chunks the page never loads, and `node:*` stays external.
const built = await build({
  bundle: true, splitting: true, format: "esm", platform: "browser", target: "es2022", write: false,
  conditions: ["browser", "import", "default"], external: ["node:*"], logLevel: "warning",
  absWorkingDir: root, outdir: "/out", outbase: ".", entryNames: "[dir]/[name]", chunkNames: "chunks/[name]-[hash]",
  entryPoints: ["bench/page/shuffle-page.ts", "workers/executor-web-worker.ts"],
});
const files = new Map<string, [string, Uint8Array | string]>([
  ["/bench/page/index.html", ["text/html", `<!doctype html><meta charset="utf-8"><title>cinder in-page shuffle</title><pre id="out"></pre><script type="module" src="./shuffle-page.js"></script>`]],
]);
for (const f of built.outputFiles) files.set(f.path.slice("/out".length), ["text/javascript", f.contents]);
// The executor backend starts `new URL("../../workers/executor-web-worker.ts", import.meta.url)`: serve the bundle there.
files.set("/workers/executor-web-worker.ts", files.get("/workers/executor-web-worker.js")!);
const server = createServer((req, res) => {
  const file = files.get(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
  // Cross-origin isolation: without these two headers the page has no SharedArrayBuffer.
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  if (!file) { res.statusCode = req.url === "/favicon.ico" ? 204 : 404; res.end(); return; }
  res.setHeader("Content-Type", file[0]);
  res.end(file[1]);
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;
const browser = await chromium.launch({
  executablePath: CHROMIUM, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  console.log(`in-page shuffle bench (headless ${CHROMIUM} ${browser.version()}, Web Worker executors, 1 core each): rows ${ROWS}, executors ${EXECUTORS}, ${RUNS} interleaved runs after a warm-up, median wall ms; load average at start: ${load()}`);
  const tab = await browser.newPage();
  tab.on("pageerror", (e) => console.error("page error:", e.message));
  tab.on("crash", () => console.error("the page crashed"));
  tab.on("console", (m) => { if (m.type() === "error") console.error("page console:", m.text()); });
  await tab.goto(`http://127.0.0.1:${port}/bench/page/index.html?rows=${ROWS}&executors=${EXECUTORS}&runs=${RUNS}`);
  await tab.waitForFunction(() => (window as unknown as { __shuffleBench?: unknown }).__shuffleBench !== undefined, undefined, { timeout: 900_000, polling: 500 });
  const result = await tab.evaluate(() => (window as unknown as { __shuffleBench: { figures?: unknown[]; error?: string } }).__shuffleBench);
  console.log((await tab.textContent("#out"))?.trimEnd());
  if (result.error) throw new Error(`the page failed: ${result.error}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`load average at the end: ${load()}`);
