// Entry of a Node worker-thread executor started from TypeScript source:
// tsx's loader hooks are not carried into workers on Node 20, so this
// plain module loads the .ts entry through tsx's API (see TOOLCHAIN.md).
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(workerData.entry, import.meta.url);
