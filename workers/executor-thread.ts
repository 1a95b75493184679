/** Node worker-thread executor: exposes an executor endpoint on the parent port through comlink's Node adapter. */
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createExecutorEndpoint } from "../src/cluster/executor-endpoint.ts";

if (!parentPort) throw new Error("executor-thread.ts must run as a worker thread");
Comlink.expose(createExecutorEndpoint(), nodeEndpoint(parentPort as unknown as Parameters<typeof nodeEndpoint>[0]));
