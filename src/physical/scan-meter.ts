/**
 * The file scans of a physical plan, metered over one run: the running
 * totals the readers keep (src/io/scan-metrics.ts) read before and after
 * the job, and the difference written onto the plan's scan lines for
 * `explain("analyze")` and onto the QueryEnd event.
 */
import type { ScanMetricsSnapshot } from "../common/events.ts";
import { describeSource } from "../plan/logical-plan.ts";
import type { ScanDescriber, ScanMetrics } from "../io/scan-metrics.ts";
import { describeScanMetrics, scanKey, scanTotals } from "../io/scan-metrics.ts";
import type { PhysicalOf, PhysicalPlan } from "./physical-plan.ts";
import { physicalChildren } from "./physical-plan.ts";

/** The file scans of a physical plan (sources other than memory tables and `range`). */
export function fileScans(plan: PhysicalPlan): PhysicalOf<"ScanExec">[] {
  const out: PhysicalOf<"ScanExec">[] = [];
  const walk = (p: PhysicalPlan): void => {
    if (p.type === "ScanExec" && p.source.kind !== "memory" && p.source.kind !== "range") out.push(p);
    physicalChildren(p).forEach(walk);
  };
  walk(plan);
  return out;
}

/**
 * Starts metering the file scans of `plan`; `finish()` (after the job)
 * gives each scan node what it cost in between.
 *
 * @example
 * const meter = meterScans(physical);
 * await backend.run(physical, session);
 * const byNode = meter.finish();
 */
export function meterScans(plan: PhysicalPlan): { finish(): Map<PhysicalPlan, ScanMetrics> } {
  const scans = fileScans(plan).map((node) => {
    const key = scanKey(node.source, node.projection, node.filters);
    return { node, key, before: { ...scanTotals(key) } };
  });
  return {
    finish: () => new Map(scans.map(({ node, key, before }) => [node as PhysicalPlan, minus(scanTotals(key), before)])),
  };
}

/**
 * Text added to scan lines of a printed physical plan: what the footers say
 * the scan will fetch, and with `actual` (from a run) what it did fetch.
 */
export function scanAnnotator(readers: ScanDescriber, actual?: Map<PhysicalPlan, ScanMetrics>): (p: PhysicalPlan) => string {
  return (p) => {
    if (p.type !== "ScanExec") return "";
    let text = "";
    const planned = readers.describeScan(p.source, p.sourceSchema, p.projection, p.filters);
    if (planned) text += ` [planned: ${planned}]`;
    const m = actual?.get(p);
    if (m) {
      const notes = readers.scanNotes(p.source);
      text += ` [actual: ${describeScanMetrics(m)}${notes.length ? `; ${notes.join("; ")}` : ""}]`;
    }
    return text;
  };
}

/** The per-scan costs of a run, as posted on the QueryEnd event. */
export function scanSnapshots(readers: ScanDescriber, actual: Map<PhysicalPlan, ScanMetrics>): ScanMetricsSnapshot[] {
  return [...actual].map(([node, m]) => {
    const scan = node as PhysicalOf<"ScanExec">;
    const columns = (scan.projection ? scan.projection.map((i) => scan.sourceSchema[i]!) : scan.sourceSchema).map((f) => f.name);
    return { source: describeSource(scan.source), columns, ...m, notes: readers.scanNotes(scan.source) };
  });
}

function minus(a: ScanMetrics, b: ScanMetrics): ScanMetrics {
  return {
    bytesFetched: a.bytesFetched - b.bytesFetched, requests: a.requests - b.requests,
    rowGroupsRead: a.rowGroupsRead - b.rowGroupsRead, rowGroupsSkipped: a.rowGroupsSkipped - b.rowGroupsSkipped, rowsRead: a.rowsRead - b.rowsRead,
  };
}
