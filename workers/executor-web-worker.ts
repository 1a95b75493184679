/** Web Worker executor: exposes an executor endpoint to the page through comlink. */
import * as Comlink from "comlink";
import { createExecutorEndpoint } from "../src/cluster/executor-endpoint.ts";

Comlink.expose(createExecutorEndpoint());
