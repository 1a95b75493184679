/**
 * The driver's half of executor-side file scans: each finished task reports
 * what its scans fetched and which splits it read (TaskMetricsSnapshot
 * `scans`). The costs are added to the driver's scan totals, so
 * `explain("analyze")` and QueryEnd count executor reads like local ones,
 * and the reading executor becomes the split's preferred location for
 * later jobs (it keeps the file's footer, or the shipped bytes).
 */
import { addToScanTotals } from "../io/scan-metrics.ts";
import type { ListenerBus } from "../scheduler/listener-bus.ts";
import type { SplitTracker } from "../scheduler/split-tracker.ts";

/** Listens on `bus` for task and executor events; returns a function that stops listening. */
export function trackExecutorScans(bus: ListenerBus, splits: SplitTracker): () => void {
  return bus.on((e) => {
    if (e.type === "ExecutorRemoved") { splits.removeExecutor(e.executorId); return; }
    if (e.type !== "TaskEnd" || !e.metrics?.scans) return;
    for (const r of e.metrics.scans) {
      // Counted even for a failed attempt that reported: those bytes were fetched.
      addToScanTotals(r.key, r);
      if (e.result === "success") for (const s of r.splits) splits.put(r.table, s, e.executorId);
    }
  });
}
