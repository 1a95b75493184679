/**
 * `npm run edge -- --executors 3 [--runtime node|workerd|mixed] [--secret S]`:
 * starts edge executors on 127.0.0.1 (mixed by default: Node and workerd),
 * prints one line per executor, `executor <id> <runtime> <url> pid <pid>`,
 * and stays in the foreground until SIGINT/SIGTERM, stopping them all.
 * Without a secret one is made up and printed to stderr, for the driver's
 * `--secret` / `CINDER_EDGE_SECRET`.
 */
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { startLocalExecutors, stopLocalExecutors } from "../edge/local-executors.ts";
import type { EdgeRuntime } from "../edge/local-executors.ts";

const { values } = parseArgs({
  options: {
    executors: { type: "string", default: "3" },
    runtime: { type: "string", default: "mixed" },
    secret: { type: "string" },
    "allow-code": { type: "boolean", default: false },
  },
});
const n = Number(values.executors);
const runtime = values.runtime as EdgeRuntime | "mixed";
if (!Number.isInteger(n) || n < 1) {
  console.error(`error WRONG_ARGUMENT: --executors must be a positive integer, got '${values.executors}'`);
  process.exit(2);
}
if (!["node", "workerd", "mixed"].includes(runtime)) {
  console.error(`error WRONG_ARGUMENT: --runtime must be node, workerd or mixed, got '${values.runtime}'`);
  process.exit(2);
}
let secret = values.secret ?? process.env.CINDER_EDGE_SECRET;
if (!secret) {
  secret = randomBytes(18).toString("base64url");
  console.error(`secret ${secret} (pass it to the driver: --secret or CINDER_EDGE_SECRET)`);
}
const executors = await startLocalExecutors({ executors: n, runtime, secret, allowCode: values["allow-code"] });
for (const e of executors) console.log(e.line);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void stopLocalExecutors(executors).finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
