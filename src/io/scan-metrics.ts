/**
 * What each file scan of a query actually cost: bytes fetched, requests
 * made, row groups read and skipped, rows produced. Format readers add to
 * running totals kept per scan (a source, its projection and its pushed
 * filters); the session reads the totals of a query's scans before and
 * after the job and reports the difference. Counting at the reader, in the
 * process that reads, works the same whether the local executor runs the
 * scan or a cluster reads the file on the driver, without the scheduler
 * having to carry per-scan counters. Two jobs running the same scan at the
 * same moment would see each other's counts; notebooks run one at a time.
 */
import type { ScanTaskReport } from "../common/events.ts";
import type { Expr } from "../plan/expressions.ts";
import type { DataSource } from "../plan/logical-plan.ts";
import type { Field } from "../types/data-types.ts";
import type { FetchStats } from "./byte-source.ts";

/** The cost of one scan in one query (or, in the totals, so far). */
export interface ScanMetrics extends FetchStats {
  rowGroupsRead: number;
  rowGroupsSkipped: number;
  rowsRead: number;
}

export function newScanMetrics(): ScanMetrics {
  return { bytesFetched: 0, requests: 0, rowGroupsRead: 0, rowGroupsSkipped: 0, rowsRead: 0 };
}

// Running totals by scan key; bounded, least recently used first out.
const totals = new Map<string, ScanMetrics>();
const MAX_SCANS = 4096;

/** One opened table's identity: its splits are numbered the same in every process that reads it. */
export function scanTableId(source: DataSource): string {
  return source.kind === "parquet" ? String(source.options?.openId ?? source.paths.join(",")) : JSON.stringify(source);
}

/** The key under which a scan's totals are kept: one opened table, one projection, one filter list. */
export function scanKey(source: DataSource, projection: readonly number[] | null, filters: readonly Expr[]): string {
  return `${source.kind}|${scanTableId(source)}|${projection ? projection.join(",") : "*"}|${JSON.stringify(filters)}`;
}

/** Adds `m` to the running totals under `key` (a driver summing what executors read). */
export function addToScanTotals(key: string, m: ScanMetrics): void {
  const t = scanTotals(key);
  t.bytesFetched += m.bytesFetched; t.requests += m.requests;
  t.rowGroupsRead += m.rowGroupsRead; t.rowGroupsSkipped += m.rowGroupsSkipped; t.rowsRead += m.rowsRead;
}

/**
 * What one task's scans cost, kept apart from the process's running
 * totals: an executor reports it in its task metrics and the driver adds
 * it to its own totals (an executor in another thread or worker has totals
 * the driver cannot see, and one in the driver's thread must not be
 * counted twice).
 */
export class TaskScanRecorder {
  private readonly byKey = new Map<string, ScanTaskReport>();

  /** The counters a reader charges for split `partition` of a scan. */
  sinkFor(source: DataSource, projection: readonly number[] | null, filters: readonly Expr[], partition: number): ScanMetrics {
    const key = scanKey(source, projection, filters);
    let r = this.byKey.get(key);
    if (!r) this.byKey.set(key, r = { key, table: scanTableId(source), splits: [], ...newScanMetrics() });
    if (!r.splits.includes(partition)) r.splits.push(partition);
    return r;
  }

  get size(): number { return this.byKey.size; }

  reports(): ScanTaskReport[] {
    return [...this.byKey.values()].map((r) => ({ ...r, splits: [...r.splits] }));
  }
}

/** The running totals of a scan, created at zero; readers add to them as they read. */
export function scanTotals(key: string): ScanMetrics {
  let m = totals.get(key);
  if (m) { totals.delete(key); totals.set(key, m); return m; }
  m = newScanMetrics();
  totals.set(key, m);
  if (totals.size > MAX_SCANS) totals.delete(totals.keys().next().value!);
  return m;
}

/** `n` bytes for people: "1.2 MB (1,234,567 bytes)". */
export function formatBytes(n: number): string {
  const exact = `${n.toLocaleString("en-US")} bytes`;
  if (n < 1000) return exact;
  const [v, unit] = n >= 1e9 ? [n / 1e9, "GB"] : n >= 1e6 ? [n / 1e6, "MB"] : [n / 1e3, "KB"];
  return `${v.toFixed(1)} ${unit} (${exact})`;
}

// Which process read each opened table in its last cluster run (explain and QueryEnd notes say so).
const scanPaths = new Map<string, string>();

/** Records how a cluster reads `source` ("read by executors, ..." or "read on the driver: ..."). */
export function noteScanPath(source: DataSource, note: string): void {
  const id = scanTableId(source);
  scanPaths.delete(id);
  scanPaths.set(id, note);
  if (scanPaths.size > MAX_SCANS) scanPaths.delete(scanPaths.keys().next().value!);
}

/** Forgets the note: a read in the driver's own process (the local backend, or a cluster's fallback about to note itself). */
export function forgetScanPath(source: DataSource): void {
  if (scanPaths.size) scanPaths.delete(scanTableId(source));
}

/** The note `noteScanPath` left for `source`, if any. */
export function scanPathNote(source: DataSource): string | null {
  return scanPaths.get(scanTableId(source)) ?? null;
}

/** One line of `explain("analyze")` for a scan's actual cost. */
export function describeScanMetrics(m: ScanMetrics): string {
  return `fetched ${formatBytes(m.bytesFetched)} in ${m.requests} request${m.requests === 1 ? "" : "s"}, ` +
    `row groups read ${m.rowGroupsRead}, skipped ${m.rowGroupsSkipped}, rows ${m.rowsRead.toLocaleString("en-US")}`;
}

/** What `explain` needs from the session's readers (the SourceRegistry). */
export interface ScanDescriber {
  describeScan(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[]): string | null;
  scanNotes(source: DataSource): string[];
}
