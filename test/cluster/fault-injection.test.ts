/**
 * Faults at scale on Node worker-thread executors (test/support/
 * fault-campaign.ts): killing one terminates its thread, and a fresh
 * worker takes its place.
 */
import { describe, it } from "node:test";
import { Cluster } from "../../src/cluster/cluster.ts";
import { faultRouter, runFaultCampaign } from "../support/fault-campaign.ts";

describe("fault injection: worker-thread executors", { timeout: 300_000 }, () => {
  it("40 randomized jobs under random faults: right answers or clear errors, no hangs, nothing left behind", async (t) => {
    const cluster = await Cluster.start({ executors: 3, kind: "worker-thread" });
    try {
      const report = await runFaultCampaign({
        cluster, fetchFaults: ["drop", "lose", "delay", "duplicate"],
        injectFetchFaults: (decide, wait) => faultRouter(cluster, decide, wait),
        replace: () => cluster.addExecutor(),
      }, { jobs: 40, atOnce: 4, seed: 16, deadlineMs: 60_000 });
      t.diagnostic(`${report.right} right answers, ${report.failedClearly} clear failures, ${report.killed} executors killed`);
    } finally { await cluster.stop(); }
  });
});
