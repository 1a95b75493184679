/**
 * Faults at scale on Node worker-thread executors (test/support/
 * fault-campaign.ts): killing one terminates its thread, and a fresh
 * worker takes its place.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Cluster } from "../../src/cluster/cluster.ts";
import { faultRouter, runFaultCampaign } from "../support/fault-campaign.ts";

describe("fault injection: worker-thread executors", { timeout: 300_000 }, () => {
  it("40 randomized jobs under random faults: right answers or clear errors, no hangs, nothing left behind", async (t) => {
    // A worker thread holds message ports while it lives: a killed one that was not terminated would keep its ports.
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;
    const before = ports();
    const cluster = await Cluster.start({ executors: 3, kind: "worker-thread" });
    const perWorker = (ports() - before) / 3;
    try {
      const report = await runFaultCampaign({
        cluster, fetchFaults: ["drop", "lose", "delay", "duplicate"],
        injectFetchFaults: (decide, wait) => faultRouter(cluster, decide, wait),
        replace: () => cluster.addExecutor(),
      }, { jobs: 40, atOnce: 4, seed: 16, deadlineMs: 60_000 });
      t.diagnostic(`${report.right} right answers, ${report.failedClearly} clear failures, ${report.killed} executors killed`);
      assert.equal(cluster.executors.filter((e) => e.isAlive).length, 3);
      assert.equal(ports() - before, 3 * perWorker, "the killed workers' threads are gone; only the 3 live ones remain");
    } finally { await cluster.stop(); }
    // A terminated thread lets go of its ports a moment after terminate() returns.
    for (let i = 0; i < 40 && ports() > before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(ports(), before, "stopping the cluster ends every worker");
  });
});
