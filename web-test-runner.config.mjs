// Browser tests in real headless Chromium (Debian's), cross-origin isolated
// so SharedArrayBuffer exists, as the notebook page will be.
import { playwrightLauncher } from "@web/test-runner-playwright";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { readFileSync } from "node:fs";

export default {
  files: ["test/browser/**/*.test.ts"],
  nodeResolve: { exportConditions: ["browser", "import", "default"] },
  rootDir: ".",
  plugins: [esbuildPlugin({ ts: true, target: "es2022" })],
  middleware: [async (ctx, next) => {
    // The dev server ignores Range; test fixtures answer range requests like a real file server,
    // so the Parquet reader's HTTP range path runs in the browser too.
    const range = /^bytes=(\d*)-(\d*)$/.exec(ctx.get("range") ?? "");
    if (range && ctx.path.startsWith("/test/browser/fixtures/") && !ctx.path.includes("..")) {
      const file = readFileSync(`.${ctx.path}`);
      const start = range[1] === "" ? Math.max(0, file.length - Number(range[2])) : Number(range[1]);
      const end = range[1] !== "" && range[2] !== "" ? Math.min(file.length, Number(range[2]) + 1) : file.length;
      ctx.status = 206;
      ctx.set("Content-Range", `bytes ${start}-${end - 1}/${file.length}`);
      ctx.body = file.subarray(start, end);
      ctx.set("Cross-Origin-Resource-Policy", "same-origin");
      return;
    }
    await next();
    ctx.set("Cross-Origin-Opener-Policy", "same-origin");
    ctx.set("Cross-Origin-Embedder-Policy", "require-corp");
    ctx.set("Cross-Origin-Resource-Policy", "same-origin");
  }],
  browsers: [playwrightLauncher({
    product: "chromium",
    launchOptions: {
      executablePath: "/usr/bin/chromium", headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  })],
  testFramework: { config: { timeout: 60000 } },
  testsFinishTimeout: 300000,
};
