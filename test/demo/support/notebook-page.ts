/**
 * What the notebook's end-to-end tests share: starting `npm start`'s
 * script (or the preview of the built site) as a child process and
 * reading the URL it prints, Debian's Chromium driven by playwright-core,
 * and reading a result table's rows back from the page.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { Browser, Locator, Page } from "playwright-core";

export const root = fileURLToPath(new URL("../../../", import.meta.url));

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

export interface Served { url: string; stop(): Promise<void> }

/** Runs `scripts/notebook.ts <command> --port 0` and resolves with the URL from its `Notebook: URL` line. */
export function serveNotebook(command: "dev" | "preview"): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/notebook.ts", command, "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`no 'Notebook: URL' line within 120 s; output:\n${output}`)); }, 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /^Notebook: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output);
      if (m) { clearTimeout(timer); resolve({ url: m[1]!, stop }); }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", (c: Buffer) => { output += c.toString(); });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`notebook ${command} exited with ${code}:\n${output}`)); });
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}

/** Opens the notebook and waits until its executors started and the sample tables are registered. */
export async function openNotebook(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid="notebook"][data-ready="true"]', { timeout: 120_000 });
  return { page, errors };
}

/** Waits for a cell to finish (done or failed) and returns its status. */
export async function cellStatus(page: Page, cellId: string, timeout = 60_000): Promise<string> {
  const cell = page.locator(`[data-testid="cell"][data-cell="${cellId}"]`);
  await cell.and(page.locator('[data-status="done"], [data-status="failed"]')).waitFor({ timeout });
  return (await cell.getAttribute("data-status"))!;
}

/** The rows a cell's result table shows (every row, when they all fit on screen), as text cells. */
export async function tableRows(page: Page, cellId: string): Promise<string[][]> {
  return page.locator(`[data-cell="${cellId}"] [data-testid="result-table"] .rt-row`).evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll("span")].slice(1).map((s) => s.textContent ?? "")));
}

/** Replaces the last cell's text with `source` as a user types it (in `language`), runs it with Ctrl+Enter, and returns the cell and its id. */
export async function typeIntoLastCell(page: Page, source: string, language?: "sql" | "js"): Promise<{ cell: Locator; id: string }> {
  const cell = page.locator('[data-testid="cell"]').last();
  if (language) await cell.locator("select").first().selectOption(language);
  await cell.locator(".cm-content").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.type(source);
  await page.keyboard.press("Control+Enter");
  return { cell, id: (await cell.getAttribute("data-cell"))! };
}
