/**
 * Faults at scale on Web Worker executors in real Chromium (test/support/
 * fault-campaign.ts): killing one terminates its worker, and a fresh one
 * takes its place.
 */
import { Cluster } from "../../src/cluster/cluster.ts";
import { faultRouter, runFaultCampaign } from "../support/fault-campaign.ts";

describe("fault injection: Web Worker executors", function () {
  this.timeout(240_000);
  it("24 randomized jobs under random faults: right answers or clear errors, no hangs, nothing left behind", async () => {
    const cluster = await Cluster.start({ executors: 3, kind: "web-worker" });
    try {
      const report = await runFaultCampaign({
        cluster, fetchFaults: ["drop", "lose", "delay", "duplicate"],
        injectFetchFaults: (decide, wait) => faultRouter(cluster, decide, wait),
        replace: () => cluster.addExecutor(),
      }, { jobs: 24, atOnce: 4, seed: 18, deadlineMs: 60_000 });
      console.log(`web-worker fault campaign: ${report.right} right answers, ${report.failedClearly} clear failures, ${report.killed} executors killed`);
    } finally { await cluster.stop(); }
  });
});
