/**
 * Faults at scale on in-process executors (test/support/fault-campaign.ts):
 * 120 randomized jobs, four at a time, on 3 executors, under random task
 * failures, delays, dropped / lost / duplicated block fetches and executors
 * killed mid-job and replaced. Worker threads: test/cluster/; edge
 * executors over HTTP: test/edge/.
 */
import { describe, it } from "node:test";
import { Cluster } from "../../src/cluster/cluster.ts";
import { faultRouter, runFaultCampaign } from "../support/fault-campaign.ts";

describe("fault injection: in-process executors", () => {
  it("120 randomized jobs under random faults: right answers or clear errors, no hangs, nothing left behind", async (t) => {
    const cluster = await Cluster.start({ executors: 3, kind: "in-process" });
    try {
      const report = await runFaultCampaign({
        cluster, fetchFaults: ["drop", "lose", "delay", "duplicate"],
        injectFetchFaults: (decide, wait) => faultRouter(cluster, decide, wait),
        replace: () => cluster.addExecutor(),
      }, { jobs: 120, atOnce: 4, seed: 15, deadlineMs: 30_000 });
      t.diagnostic(`${report.right} right answers, ${report.failedClearly} clear failures, ${report.killed} executors killed`);
    } finally { await cluster.stop(); }
  });
});
