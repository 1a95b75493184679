/**
 * The notebook end to end, in Debian's headless Chromium driven by
 * playwright-core, against `npm start` (vite's dev server): the page is
 * cross-origin isolated, the example cells give DuckDB's rows on the same
 * Parquet, a dropped file becomes a table, a chart renders, a syntax error
 * is marked at its position, Cancel stops a long job, and each teaching
 * scenario runs to its outcome. Screenshots go to docs/screenshots/.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { duckRows } from "../support/duckdb-oracle.ts";
import { cellStatus, launchChromium, openNotebook, root, serveNotebook, tableRows, typeIntoLastCell } from "./support/notebook-page.ts";
import type { Served } from "./support/notebook-page.ts";

const shots = `${root}docs/screenshots/`;

describe("the notebook (npm start)", { timeout: 600_000 }, () => {
  let served: Served, browser: Browser, page: Page, errors: string[];

  before(async () => {
    mkdirSync(shots, { recursive: true });
    [served, browser] = await Promise.all([serveNotebook("dev"), launchChromium()]);
    ({ page, errors } = await openNotebook(browser, served.url));
  });
  after(async () => {
    await browser?.close();
    await served?.stop();
  });

  it("is cross-origin isolated and runs its executors in Web Workers", async () => {
    assert.equal(await page.evaluate(() => crossOriginIsolated), true);
    assert.equal(await page.locator('[data-testid="isolation-banner"]').count(), 0);
    const executors = await page.locator('[data-testid="executor"][data-state="alive"]').count();
    assert.ok(executors >= 1, `alive executors: ${executors}`);
  });

  it("runs the example cells on load with DuckDB's answers", async () => {
    assert.equal(await cellStatus(page, "c1"), "done");
    const trips = `'${root}demo/data/trips.parquet'`, zones = `'${root}demo/data/zones.parquet'`;
    const byPayment = await duckRows(`SELECT payment, count(*) FROM ${trips} GROUP BY payment ORDER BY 2 DESC`);
    assert.deepEqual((await tableRows(page, "c1")).map((r) => [r[0], r[1]]), byPayment.map((r) => [String(r[0]), String(r[1])]));

    assert.equal(await cellStatus(page, "c2"), "done");
    const byBorough = await duckRows(`SELECT z.borough, count(*), sum(t.fare)::VARCHAR FROM ${trips} t JOIN ${zones} z ON t.pickup_zone = z.zone_id GROUP BY 1 ORDER BY 2 DESC`);
    assert.deepEqual(await tableRows(page, "c2"), byBorough.map((r) => r.map(String)));

    assert.equal(await cellStatus(page, "c3"), "done", "the DataFrame cell");
    const byPassengers = await duckRows(`SELECT passengers, count(*) FROM ${trips} WHERE distance_km > 5 GROUP BY 1 ORDER BY 1`);
    assert.deepEqual((await tableRows(page, "c3")).map((r) => [r[0], r[1]]), byPassengers.map((r) => [String(r[0]), String(r[1])]));

    assert.equal(await cellStatus(page, "c5"), "done", "TPC-H Q1");
    assert.match((await page.locator('[data-cell="c5"] [data-testid="scans"]').textContent())!, /fetched in \d+ request\(s\), \d+ row group\(s\) read, \d+ skipped/);
    assert.equal(await page.locator('[data-cell="c5"] [data-testid="result-table"]').getAttribute("data-rows"), "4");
    await page.screenshot({ path: `${shots}notebook.png` });
  });

  it("draws a chart of a result", async () => {
    assert.equal(await cellStatus(page, "c4"), "done");
    const chart = page.locator('[data-cell="c4"] [data-testid="chart"]');
    await chart.locator("svg").first().waitFor();
    assert.equal(await chart.getAttribute("data-kind"), "line");
    assert.ok(await chart.locator("path").count() > 0);
  });

  it("shows the job's stages and tasks in the job view, from the listener bus", async () => {
    await page.locator('[data-cell="c2"] [data-testid="job-progress"] button').first().click();
    const view = page.locator('[data-testid="job-view"]');
    assert.ok(await view.locator('[data-testid="stage"][data-state="succeeded"]').count() >= 1);
    assert.ok(await view.locator('[data-testid="timeline"] rect').count() >= 1);
    await view.screenshot({ path: `${shots}job-view.png` });
  });

  it("makes a dropped Parquet file a table", async () => {
    const bytes = [...readFileSync(`${root}test/browser/fixtures/sample.parquet`)];
    await page.evaluate((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], "dropped_sample.parquet"));
      document.querySelector("main")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await page.locator('[data-testid="table"][data-table="dropped_sample"]').waitFor({ timeout: 30_000 });
    const expected = await duckRows(`SELECT count(*) FROM '${root}test/browser/fixtures/sample.parquet'`);
    const count = await page.evaluate(async () => {
      const engine = (globalThis as unknown as { cinderNotebook: { session: { sql(s: string): { collect(): Promise<Record<string, unknown>[]> } } } }).cinderNotebook;
      return (await engine.session.sql("SELECT count(*) AS n FROM dropped_sample").collect())[0]!.n;
    });
    assert.equal(String(count), String(expected[0]![0]));
  });

  it("marks a syntax error at its line and column", async () => {
    await page.locator('[data-testid="add-sql"]').click();
    const { cell, id } = await typeIntoLastCell(page, "SELECT payment\nFROM trips\nWHERE fare >");
    assert.equal(await cellStatus(page, id), "failed");
    const error = cell.locator('[data-testid="cell-error"]');
    assert.equal(await error.getAttribute("data-code"), "PARSE_SYNTAX_ERROR");
    assert.match((await error.textContent())!, /at line 3, column 13/);
    await cell.locator(".cm-lintRange-error").first().waitFor();
  });

  it("shows an unknown column with suggestions, at the column", async () => {
    const { cell, id } = await typeIntoLastCell(page, "SELECT paymnt FROM trips");
    await page.waitForFunction((cid) => document.querySelector(`[data-cell="${cid}"] [data-testid="cell-error"]`)?.getAttribute("data-code") === "UNRESOLVED_COLUMN", id);
    assert.match((await cell.locator('[data-testid="cell-error"]').textContent())!, /line 1, column 8.*payment/s);
  });

  it("shows 100,000 rows in a virtualized table that scrolls to the last", async () => {
    const { cell, id } = await typeIntoLastCell(page, "spark.range(100000).selectExpr(\"id\", \"id * 2 AS twice\")", "js");
    assert.equal(await cellStatus(page, id), "done");
    const table = cell.locator('[data-testid="result-table"]');
    assert.equal(await table.getAttribute("data-rows"), "100000");
    assert.ok(await table.locator(".rt-row").count() < 100, "only the rows in view are in the page");
    await table.locator(".rt-body").evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await table.locator('.rt-row[data-row="99999"]').waitFor();
    assert.deepEqual((await table.locator('.rt-row[data-row="99999"] span').allTextContents()), ["100000", "99999", "199998"]);
  });

  it("stops a long job with Cancel", async () => {
    const { cell, id } = await typeIntoLastCell(page, "spark.range(0, 400000000, 1, 400).selectExpr(\"id % 7 AS k\").groupBy(\"k\").count()", "js");
    await cell.locator('[data-testid="job-progress"][data-state="running"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="cancel"]').click();
    assert.equal(await cellStatus(page, id, 30_000), "failed");
    assert.equal(await cell.locator('[data-testid="cell-error"]').getAttribute("data-code"), "JOB_ABORTED");
    assert.equal(await cell.locator('[data-testid="job-progress"]').last().getAttribute("data-state"), "failed");
  });

  const outcomes: Record<string, RegExp> = {
    "broadcast-vs-smj": /more stage\(s\).*answers equal/,
    skew: /partition \d+ → \d+ tasks.*answers equal/,
    "lost-executor": /executor exec-\d+ lost; stage\(s\) \d+.* resubmitted; answer correct/,
    "max-result-size": /collect\(\) failed with RESULT_TOO_LARGE; take\(100\) gave 100 rows/,
    "closure-trap": /capturing minFare failed with NOT_SERIALIZABLE; passing \{ minFare \} gave \[60,70\]/,
    locality: /locality.wait 3 s: \d+ ms; 0 s: \d+ ms/,
    "shuffle-partitions": /200 partitions: 200 tasks .* AQE off, \d+ coalesced tasks/,
    "cache-loop": /without cache, \d+ ms with cache/,
  };
  for (const [scenario, outcome] of Object.entries(outcomes)) {
    it(`runs the ${scenario} scenario to its outcome`, async () => {
      const box = page.locator(`[data-testid="scenario"][data-scenario="${scenario}"]`);
      await box.scrollIntoViewIfNeeded();
      await box.locator('[data-testid="run-scenario"]').click();
      await page.waitForFunction((s) => document.querySelector(`[data-scenario="${s}"]`)?.hasAttribute("data-outcome"), scenario, { timeout: 120_000 });
      assert.match((await box.getAttribute("data-outcome"))!, outcome);
      if (scenario === "lost-executor") {
        assert.ok(await page.locator('[data-testid="executor"][data-state="lost"]').count() >= 1, "an executor is shown lost");
        assert.ok(await page.locator('[data-testid="job-view"] [data-testid="stage"][data-state="resubmitted"]').count() >= 1, "a stage is shown resubmitted");
        await page.locator("aside.right").screenshot({ path: `${shots}scenario-lost-executor.png` });
      }
      if (scenario === "skew") await page.locator("aside.right").screenshot({ path: `${shots}scenario-skew.png` });
    });
  }

  it("threw nothing uncaught in the page", () => {
    assert.deepEqual(errors, []);
  });
});
