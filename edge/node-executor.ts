/**
 * An edge executor on Node: the hono app (executor-app.ts) served by
 * `@hono/node-server` on 127.0.0.1. Prints one line once it listens,
 * `executor <id> node <url> pid <pid>`, and stops on SIGINT/SIGTERM.
 *
 * @example
 * CINDER_EDGE_SECRET=s3cret npx tsx edge/node-executor.ts --port 8787
 */
import { parseArgs } from "node:util";
import { availableParallelism } from "node:os";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createExecutorApp } from "./executor-app.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    secret: { type: "string" },
    cores: { type: "string", default: "1" },
    "allow-code": { type: "boolean", default: false },
    "max-body-bytes": { type: "string" },
  },
});
const secret = values.secret ?? process.env.CINDER_EDGE_SECRET;
if (!secret) {
  console.error("error WRONG_ARGUMENT: an edge executor needs a secret: --secret S or CINDER_EDGE_SECRET");
  process.exit(2);
}
const cores = Math.max(1, Math.min(availableParallelism(), Number(values.cores) || 1));
const { app, id } = await createExecutorApp({
  secret, runtime: "node", cores, memoryBytes: process.constrainedMemory?.() || null, allowCode: values["allow-code"],
  ...(values["max-body-bytes"] ? { maxBodyBytes: Number(values["max-body-bytes"]) } : {}),
});
const server = serve({ fetch: app.fetch, hostname: values.host, port: Number(values.port) }, (info: AddressInfo) => {
  console.log(`executor ${id} node http://${values.host}:${info.port} pid ${process.pid}`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
