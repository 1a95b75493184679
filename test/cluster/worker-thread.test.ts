import { describe, it, before, after } from "node:test";
import { Cluster } from "../../src/cluster/cluster.ts";
import { executorConformance } from "./executor-conformance.ts";

executorConformance({ describe, it, before, after }, {
  name: "worker-thread",
  start: (executors) => Cluster.start({ executors, kind: "worker-thread" }),
});
