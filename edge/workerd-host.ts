/**
 * Runs one workerd edge executor on 127.0.0.1 through Miniflare, as its own
 * process (so it has a pid to report and to stop). Takes the directory
 * `bundleForWorkerd("workerd-executor")` wrote. Prints `executor <id> workerd <url> pid
 * <pid>` once the executor answers, and stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { Miniflare } from "miniflare";

const { values } = parseArgs({ options: { bundle: { type: "string" }, secret: { type: "string" }, port: { type: "string", default: "0" } } });
const secret = values.secret ?? process.env.CINDER_EDGE_SECRET;
if (!values.bundle || !secret) {
  console.error("error WRONG_ARGUMENT: workerd-host needs --bundle DIR and a secret (--secret or CINDER_EDGE_SECRET)");
  process.exit(2);
}
const mf = new Miniflare({
  name: "cinder-executor",
  modulesRoot: values.bundle,
  modules: [
    { type: "ESModule", path: join(values.bundle, "workerd-executor.js") },
    { type: "CompiledWasm", path: join(values.bundle, "parquet_wasm_bg.wasm") },
  ],
  compatibilityDate: "2026-04-01",
  bindings: { CINDER_EDGE_SECRET: secret },
  host: "127.0.0.1",
  port: Number(values.port),
});
const url = await mf.ready;
const health = await (await fetch(new URL("/v1/health", url))).json() as { id: string };
console.log(`executor ${health.id} workerd ${url.origin} pid ${process.pid}`);
const stop = () => { void mf.dispose().finally(() => process.exit(0)); };
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
