// Browser tests in real headless Chromium (Debian's), cross-origin isolated
// so SharedArrayBuffer exists, as the notebook page will be.
import { playwrightLauncher } from "@web/test-runner-playwright";
import { esbuildPlugin } from "@web/dev-server-esbuild";

export default {
  files: ["test/browser/**/*.test.ts"],
  nodeResolve: { exportConditions: ["browser", "import", "default"] },
  rootDir: ".",
  plugins: [esbuildPlugin({ ts: true, target: "es2022" })],
  middleware: [async (ctx, next) => {
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
