/**
 * Starts edge executors on this machine, each its own process on
 * 127.0.0.1: Node ones (node-executor.ts) and workerd ones (workerd-host.ts
 * running the bundled workerd-executor.ts through Miniflare). `npm run
 * edge` and the tests use it.
 *
 * @example
 * const executors = await startLocalExecutors({ executors: 3, runtime: "mixed", secret });
 * const cluster = await Cluster.connect({ executors: executors.map((e) => e.url), secret });
 * await stopLocalExecutors(executors);
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { build } from "esbuild";

export type EdgeRuntime = "node" | "workerd";

export interface LocalExecutor {
  id: string;
  runtime: EdgeRuntime;
  url: string;
  pid: number;
  /** The line the executor printed: `executor <id> <runtime> <url> pid <pid>`. */
  line: string;
  /** SIGTERM, then waits for the process to end. */
  stop(): Promise<void>;
  /** SIGKILL now, as a crash would. */
  kill(): void;
}

export interface LocalExecutorOptions {
  executors: number;
  /** "mixed" (the default) alternates Node and workerd, with at least one of each when there are two or more. */
  runtime?: EdgeRuntime | "mixed";
  secret: string;
  /** Let Node executors run RDD functions. */
  allowCode?: boolean;
  /** Extra arguments for Node executors (e.g. `--max-body-bytes`). */
  nodeArgs?: readonly string[];
}

const here = import.meta.dirname;

/**
 * Bundles an edge module worker (`workerd-executor` or `driver-worker`) into
 * a fresh directory the way a deployment would: esbuild, with parquet-wasm
 * left as a CompiledWasm module beside it. Returns the directory.
 */
export async function bundleForWorkerd(entry: "workerd-executor" | "driver-worker"): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `cinder-${entry}-`));
  await build({
    entryPoints: [join(here, `${entry}.ts`)], outfile: join(dir, `${entry}.js`),
    bundle: true, format: "esm", platform: "browser", target: "es2022",
    conditions: ["workerd", "worker", "browser"], external: ["./parquet_wasm_bg.wasm"], logLevel: "silent",
  });
  copyFileSync(createRequire(import.meta.url).resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"), join(dir, "parquet_wasm_bg.wasm"));
  return dir;
}

function runtimes(n: number, runtime: LocalExecutorOptions["runtime"]): EdgeRuntime[] {
  if (runtime === "node" || runtime === "workerd") return Array.from({ length: n }, () => runtime);
  return Array.from({ length: n }, (_, i) => (i % 2 === 1 ? "workerd" : "node"));
}

function launch(child: ChildProcess, runtime: EdgeRuntime): Promise<LocalExecutor> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`the ${runtime} executor did not start within 60 s: ${stderr}`)); }, 60_000);
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`the ${runtime} executor exited (${code}) before it listened: ${stderr}`)); });
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const m = /^executor (\S+) (node|workerd) (\S+) pid (\d+)$/.exec(line);
      if (!m) { child.kill("SIGKILL"); reject(new Error(`the ${runtime} executor printed '${line}'`)); return; }
      const ended = new Promise<void>((r) => { if (child.exitCode !== null) r(); else child.once("exit", () => r()); });
      resolve({
        id: m[1]!, runtime, url: m[3]!, pid: Number(m[4]), line,
        stop: async () => { if (child.exitCode === null) child.kill("SIGTERM"); await ended; },
        kill: () => { if (child.exitCode === null) child.kill("SIGKILL"); },
      });
    });
  });
}

/** Starts the executors (in parallel) and resolves once each listens. */
export async function startLocalExecutors(options: LocalExecutorOptions): Promise<LocalExecutor[]> {
  const kinds = runtimes(Math.max(1, options.executors), options.runtime ?? "mixed");
  const bundle = kinds.includes("workerd") ? await bundleForWorkerd("workerd-executor") : null;
  const env = { ...process.env, CINDER_EDGE_SECRET: options.secret };
  const started = await Promise.allSettled(kinds.map((runtime) => {
    const args = runtime === "node"
      ? ["--import", "tsx", join(here, "node-executor.ts"), ...(options.allowCode ? ["--allow-code"] : []), ...(options.nodeArgs ?? [])]
      : ["--import", "tsx", join(here, "workerd-host.ts"), "--bundle", bundle!];
    return launch(spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] }), runtime);
  }));
  const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await stopLocalExecutors(ok);
    throw (failed as PromiseRejectedResult).reason;
  }
  // The bundle is read once at start-up; nothing needs it afterwards.
  if (bundle) rmSync(bundle, { recursive: true, force: true });
  return ok;
}

export async function stopLocalExecutors(executors: readonly LocalExecutor[]): Promise<void> {
  await Promise.all(executors.map((e) => e.stop()));
}
