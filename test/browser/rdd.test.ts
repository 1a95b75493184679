/**
 * The RDD suite in real Chromium: on the page's local backend and on a
 * cluster of 2 Web Worker executors, where user functions are compiled
 * from their source inside the workers.
 */
import { Cluster } from "../../src/cluster/cluster.ts";
import { rddSuite } from "../rdd/rdd-suite.ts";

rddSuite({ describe, it, before, after }, { name: "the page's local backend", distributed: false, start: async () => null });
rddSuite({ describe, it, before, after }, { name: "a Web Worker cluster of 2", distributed: true, start: () => Cluster.start({ executors: 2, kind: "web-worker" }) });
