// The executor conformance suite against edge executors in Node processes on 127.0.0.1, reached over HTTP.
import { describe, it, before, after } from "node:test";
import { executorConformance } from "../cluster/executor-conformance.ts";
import { startEdgeCluster } from "./support/edge-cluster.ts";

executorConformance({ describe, it, before, after }, {
  name: "edge (HTTP, Node)",
  start: async (executors) => (await startEdgeCluster(executors, "node")).cluster,
});
