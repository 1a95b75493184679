/**
 * The built site (`npm run build` -> dist-site/): `npm run preview` serves
 * it cross-origin isolated, `_headers` carries the two headers for static
 * hosts, and served without them (a host that drops the headers) the page
 * still runs its cells on copied ArrayBuffers and says so in a banner.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { spawnSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { cellStatus, launchChromium, openNotebook, root, serveNotebook, tableRows } from "./support/notebook-page.ts";
import type { Served } from "./support/notebook-page.ts";

const site = join(root, "dist-site");
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".parquet": "application/octet-stream" };

/** A plain static server with no isolation headers, as a host that drops them would serve the site. */
function serveWithoutHeaders(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(site, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(site) || !existsSync(file)) { res.writeHead(404).end(); return; }
    const body = readFileSync(file), type = TYPES[extname(file)] ?? "application/octet-stream";
    // Static hosts answer range requests; the notebook's read.parquet(url) cell reads by ranges.
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (!range || (range[1] === "" && range[2] === "")) { res.writeHead(200, { "Content-Type": type }).end(body); return; }
    const suffix = range[1] === "";
    const start = suffix ? Math.max(0, body.length - Number(range[2])) : Number(range[1]);
    const end = !suffix && range[2] ? Math.min(body.length - 1, Number(range[2])) : body.length - 1;
    res.writeHead(206, { "Content-Type": type, "Content-Range": `bytes ${start}-${end}/${body.length}` }).end(body.subarray(start, end + 1));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${port}/`, server });
  }));
}

describe("the built notebook site", { timeout: 600_000 }, () => {
  let browser: Browser;
  before(async () => {
    // npm test builds the site before the Node tests; a test run on its own builds it here.
    if (!existsSync(join(site, "index.html"))) {
      const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/notebook.ts", "build"], { cwd: root, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    }
    browser = await launchChromium();
  });
  after(async () => { await browser?.close(); });

  it("writes _headers with COOP and COEP for static hosts", () => {
    const headers = readFileSync(join(site, "_headers"), "utf8");
    assert.match(headers, /^\/\*\n/);
    assert.match(headers, /Cross-Origin-Opener-Policy: same-origin/);
    assert.match(headers, /Cross-Origin-Embedder-Policy: require-corp/);
  });

  describe("npm run preview", () => {
    let served: Served;
    before(async () => { served = await serveNotebook("preview"); });
    after(async () => { await served?.stop(); });

    it("serves the built page cross-origin isolated, with the Web Worker bundled, and its cells give the right rows", async () => {
      const { page, errors } = await openNotebook(browser, served.url);
      assert.equal(await page.evaluate(() => crossOriginIsolated), true);
      assert.equal(await cellStatus(page, "c2"), "done");
      assert.equal((await tableRows(page, "c2")).length, 5);
      assert.ok(await page.locator('[data-testid="executor"][data-state="alive"]').count() >= 1);
      assert.deepEqual(errors, []);
      await page.close();
    });
  });

  it("works without cross-origin isolation, with a banner saying so", async () => {
    const { url, server } = await serveWithoutHeaders();
    try {
      const { page, errors } = await openNotebook(browser, url);
      assert.equal(await page.evaluate(() => crossOriginIsolated), false);
      await page.locator('[data-testid="isolation-banner"]').waitFor();
      for (const cell of ["c1", "c2", "c3", "c5"]) {
        const status = await cellStatus(page, cell);
        assert.equal(status, "done", `${cell}: ${(await page.locator(`[data-cell="${cell}"] [data-testid="cell-error"]`).allTextContents()).join("")}`);
      }
      assert.equal((await tableRows(page, "c2")).length, 5);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      server.close();
    }
  });
});
