/**
 * The Node worker-thread backend: one `worker_threads.Worker` per
 * executor, reached with comlink's Node adapter. Under tsx (tests, the
 * CLI in development) a worker cannot load `.ts` directly, so it starts a
 * small `.mjs` bootstrap that `tsImport`s the TypeScript entry
 * (TOOLCHAIN.md); from the compiled build it loads the `.js` entry. The
 * worker's exit marks the executor lost.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import type { BlockFetcher } from "../executor/shuffle-reader.ts";
import type { ExecutorEndpoint } from "./executor-endpoint.ts";
import { RemoteExecutor } from "./remote-executor.ts";
import { preferLargerHeap } from "./v8-heap.ts";

export function defaultWorkerThreads(): number {
  return availableParallelism();
}

export async function startWorkerThreadExecutor(id: string, cores: number, fetcher: BlockFetcher): Promise<RemoteExecutor> {
  preferLargerHeap();
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`../../workers/executor-thread.${fromSource ? "ts" : "js"}`, import.meta.url);
  const worker = fromSource
    ? new Worker(new URL("../../workers/executor-thread-bootstrap.mjs", import.meta.url), { workerData: { entry: entry.href } })
    : new Worker(entry);
  const remote = Comlink.wrap<ExecutorEndpoint>(nodeEndpoint(worker));
  const executor = new RemoteExecutor(id, cores, "worker-thread", remote, () => { void worker.terminate(); });
  worker.on("exit", (code) => executor.life.die(`worker thread exited with code ${code}`));
  worker.on("error", (e) => executor.life.die(`worker thread crashed: ${e instanceof Error ? e.message : String(e)}`));
  await executor.init(fetcher);
  return executor;
}
