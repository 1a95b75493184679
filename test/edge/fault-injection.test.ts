/**
 * Faults at scale on edge executors over HTTP (test/support/
 * fault-campaign.ts): four executor apps served on 127.0.0.1 in this
 * process, so each block fetch between them goes through a fetch that
 * drops the connection, delays, asks twice or flips a byte of the answer
 * (the frames' SHA-1 must catch it). A killed executor's server closes,
 * as a crashed process's would; an edge pool cannot grow, so at most two
 * of the four die.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { Cluster } from "../../src/cluster/cluster.ts";
import { createExecutorApp } from "../../edge/executor-app.ts";
import { runFaultCampaign } from "../support/fault-campaign.ts";
import type { FetchFault } from "../support/fault-campaign.ts";
import { TEST_SECRET } from "./support/edge-cluster.ts";

let decide: () => FetchFault = () => "none";
let wait: (ms: number) => Promise<void> = async () => undefined;

/** Block fetches between executors, with the fault `decide()` picks. */
const faultsSeen = new Map<FetchFault, number>();
const faultyFetch: typeof fetch = async (input, init) => {
  const fault = decide();
  faultsSeen.set(fault, (faultsSeen.get(fault) ?? 0) + 1);
  if (fault === "drop") throw new TypeError("fetch failed (injected: connection reset)");
  if (fault === "delay") await wait(20);
  if (fault === "duplicate") await (await fetch(input, init)).arrayBuffer();
  const response = await fetch(input, init);
  if (fault !== "corrupt") return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > 0) bytes[bytes.length >> 1] ^= 0x5a;
  return new Response(bytes, { status: response.status, headers: response.headers });
};

async function startExecutors(n: number): Promise<{ urls: string[]; servers: Map<string, Server> }> {
  const servers = new Map<string, Server>();
  const urls = await Promise.all(Array.from({ length: n }, async () => {
    const { app } = await createExecutorApp({ secret: TEST_SECRET, runtime: "node", transport: { fetch: faultyFetch, retries: 3, backoffMs: 5, timeoutMs: 5000 } });
    return new Promise<string>((resolve) => {
      const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
        const url = `http://127.0.0.1:${info.port}`;
        servers.set(url, server as Server);
        resolve(url);
      });
    });
  }));
  return { urls, servers };
}

function close(server: Server): void {
  server.closeAllConnections();
  server.close();
}

describe("fault injection: edge executors over HTTP", { timeout: 300_000 }, () => {
  it("40 randomized jobs under random faults, corrupted fetches included: right answers or clear errors, no hangs, nothing left behind", async (t) => {
    const { urls, servers } = await startExecutors(4);
    const cluster = await Cluster.connect({ executors: urls, secret: TEST_SECRET, onKill: (url) => { const s = servers.get(url); if (s) close(s); } });
    try {
      const report = await runFaultCampaign({
        cluster, fetchFaults: ["drop", "delay", "duplicate", "corrupt"],
        injectFetchFaults: (d, w) => { decide = d; wait = w; },
      }, { jobs: 40, atOnce: 4, seed: 17, deadlineMs: 60_000, minAlive: 2 });
      t.diagnostic(`${report.right} right answers, ${report.failedClearly} clear failures, ${report.killed} executors killed; fetches: ${JSON.stringify(Object.fromEntries(faultsSeen))}`);
      assert.ok((faultsSeen.get("corrupt") ?? 0) > 0 && (faultsSeen.get("drop") ?? 0) > 0, "fetches were corrupted and dropped");
    } finally {
      decide = () => "none";
      await cluster.stop();
      for (const s of servers.values()) close(s);
    }
  });
});
