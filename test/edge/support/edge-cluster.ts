/**
 * A cluster of real edge executors for tests: processes on 127.0.0.1
 * (edge/local-executors.ts) and a driver connected to them. `kill` on the
 * cluster SIGKILLs the executor's process, as a crash would; `stop` stops
 * the driver and every process.
 */
import { Cluster } from "../../../src/cluster/cluster.ts";
import type { ConnectOptions } from "../../../src/cluster/cluster.ts";
import { startLocalExecutors, stopLocalExecutors } from "../../../edge/local-executors.ts";
import type { LocalExecutor, LocalExecutorOptions } from "../../../edge/local-executors.ts";

export const TEST_SECRET = "cinder-test-secret";

export interface EdgeCluster {
  cluster: Cluster;
  executors: LocalExecutor[];
}

export async function startEdgeCluster(n: number, runtime: LocalExecutorOptions["runtime"] = "node", options: Partial<ConnectOptions> & { allowCode?: boolean } = {}): Promise<EdgeCluster> {
  const executors = await startLocalExecutors({ executors: n, runtime, secret: TEST_SECRET, allowCode: options.allowCode ?? true });
  let cluster: Cluster;
  try {
    cluster = await Cluster.connect({
      secret: TEST_SECRET, ...options, executors: executors.map((e) => e.url),
      onKill: (url) => executors.find((e) => e.url === url)?.kill(),
    });
  } catch (e) {
    await stopLocalExecutors(executors);
    throw e;
  }
  const stopDriver = cluster.stop.bind(cluster);
  cluster.stop = async () => { await stopDriver(); await stopLocalExecutors(executors); };
  return { cluster, executors };
}
