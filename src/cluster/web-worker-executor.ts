/**
 * The Web Worker backend: one module Worker per executor, reached through
 * comlink. Browsers give no exit event for a terminated worker, so `kill`
 * marks the executor lost itself; an uncaught error in the worker does too.
 */
import * as Comlink from "comlink";
import type { BlockFetcher } from "../executor/shuffle-reader.ts";
import type { ExecutorEndpoint } from "./executor-endpoint.ts";
import { RemoteExecutor } from "./remote-executor.ts";

export function defaultWebWorkers(): number {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2;
}

export async function startWebWorkerExecutor(id: string, cores: number, fetcher: BlockFetcher): Promise<RemoteExecutor> {
  const worker = new Worker(new URL("../../workers/executor-web-worker.ts", import.meta.url), { type: "module", name: `cinder-${id}` });
  const remote = Comlink.wrap<ExecutorEndpoint>(worker);
  const executor = new RemoteExecutor(id, cores, "web-worker", remote, () => worker.terminate());
  worker.addEventListener("error", (e) => executor.kill(`web worker crashed: ${e.message}`));
  await executor.init(fetcher);
  return executor;
}
