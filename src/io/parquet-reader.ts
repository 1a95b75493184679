/**
 * Reading one split of a Parquet scan: row groups whose statistics cannot
 * match the pushed filters are skipped, only the projected column chunks
 * of the rest are fetched (see `buildMiniFile`), parquet-wasm decodes them,
 * and the Arrow result becomes Cinder batches (`parquet-vectors.ts`).
 * Memory stays bounded by two row groups: the one decoding and the next
 * one's chunks, fetched meanwhile. From the footers alone
 * `planParquetScan` tells what a scan will fetch (for `explain`).
 */
import * as arrow from "apache-arrow";
import type { DataSource } from "../plan/logical-plan.ts";
import type { Expr } from "../plan/expressions.ts";
import type { LiteralValue } from "../types/operations.ts";
import type { Field } from "../types/data-types.ts";
import { AnalysisError, IOError } from "../common/errors.ts";
import type { Batch, ColumnVector } from "../exec/column-vector.ts";
import { sliceBatch } from "../exec/column-vector.ts";
import { constantVector } from "../exec/constant.ts";
import { vectorOf } from "./parquet-vectors.ts";
import type { TaskMetrics } from "../types/task-metrics.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import { loadParquetWasm } from "../../wasm/parquet-wasm.ts";
import { HttpRangeSource } from "./http-range-source.ts";
import { readCachedChunks } from "./chunk-cache.ts";
import { buildMiniFile } from "./parquet-metadata.ts";
import { dictionaryHint } from "./parquet-dictionary-hint.ts";
import { columnStatsOf, constantStats, rowGroupMayMatch } from "./parquet-pruning.ts";
import type { ColumnStats } from "./parquet-pruning.ts";
import type { FormatReader } from "./source-registry.ts";
import type { OpenedFile, ParquetDataSource, ParquetReadOptions } from "./parquet-footers.ts";
import { cachedFile, decodeError, fetchedBytes, footerCached, openedFiles } from "./parquet-footers.ts";
import type { ScanMetrics } from "./scan-metrics.ts";
import { forgetScanPath, formatBytes, scanKey, scanTotals } from "./scan-metrics.ts";

/** How one split of a scan reads one file: which top-level columns, which leaves, and which row groups statistics rule out. */
interface FilePlan {
  /** Schema column -> top-level column of this file (files may order columns differently). */
  topOf: number[];
  fileWidth: number;
  /** Projected top-level columns of the file, ascending. */
  wanted: number[];
  leaves: number[];
  partitionValues: LiteralValue[];
  /** False when the pushed filters cannot match row group `g`. */
  mayMatch(g: number): boolean;
}

function planFile(source: ParquetDataSource, file: OpenedFile, fileIndex: number, schema: Field[], projection: number[] | null, filters: Expr[]): FilePlan {
  const path = file.path;
  const partitionNames = source.partitionColumns ?? [];
  const partitionValues = source.partitionValues?.[fileIndex] ?? [];
  const fileWidth = schema.length - partitionNames.length;
  const cols = projection ?? schema.map((_, i) => i);
  const topOf = schema.slice(0, fileWidth).map((f) => {
    const i = file.footer.columns.findIndex((c) => c.name === f.name);
    if (i < 0) throw new AnalysisError("DATATYPE_MISMATCH", `${path} has no column '${f.name}'`, { details: { file: path, column: f.name } });
    return i;
  });
  const wanted = [...new Set(cols.filter((c) => c < fileWidth).map((c) => topOf[c]!))].sort((a, b) => a - b);
  const leaves = wanted.flatMap((c) => file.footer.columns[c]!.leaves);
  const mayMatch = (g: number): boolean => {
    if (filters.length === 0) return true;
    const rg = file.footer.rowGroups[g]!;
    const statsOf = (i: number): ColumnStats | null => {
      if (i >= fileWidth) return constantStats(partitionValues[i - fileWidth] ?? null, schema[i]!.type, rg.numRows);
      const top = file.footer.columns[topOf[i]!]!;
      if (top.leaves.length !== 1) return null;
      const leaf = top.leaves[0]!;
      return columnStatsOf(rg.chunks[leaf]!.stats, file.footer.leaves[leaf]!, schema[i]!.type, rg.numRows);
    };
    return rowGroupMayMatch(filters, schema, statsOf);
  };
  return { topOf, fileWidth, wanted, leaves, partitionValues, mayMatch };
}

class ParquetFormatReader implements FormatReader {
  numPartitions(source: DataSource): number {
    return source.kind === "parquet" ? Math.max(1, source.splits?.length ?? 1) : 1;
  }

  async *read(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[], partition: number, limit?: number, metrics?: TaskMetrics, sink?: ScanMetrics): BatchStream {
    if (source.kind !== "parquet") throw new IOError("IO_ERROR", `the Parquet reader cannot read a ${source.kind} source`);
    const split = source.splits?.[partition];
    if (!split) return;
    const options = (source.options ?? {}) as ParquetReadOptions & { openId?: string };
    const path = source.paths[split.file]!;
    const openId = options.openId ?? "remote";
    // This scan's running totals (see scan-metrics.ts), or the task's own (an executor's); fetches are charged to them as they happen.
    const totals: ScanMetrics = sink ?? scanTotals(scanKey(source, projection, filters));
    // Read here, not by a cluster's executors: a note left by an earlier cluster run no longer holds.
    if (!sink) forgetScanPath(source);
    const opening = !footerCached(openId, path);
    const file = await cachedFile(openId, path, options);
    if (opening) {
      // An executor reopening the file: its footer read is part of this scan's cost.
      totals.bytesFetched += file.footerFetch.bytesFetched;
      totals.requests += file.footerFetch.requests;
      if (metrics) metrics.bytesRead += file.footerFetch.bytesFetched;
    }
    const { topOf, fileWidth, wanted, leaves, partitionValues, mayMatch } = planFile(source, file, split.file, schema, projection, filters);
    const cols = projection ?? schema.map((_, i) => i);
    const batchRows = options.batchRows ?? 65536;
    let remaining = limit ?? Infinity;

    // The column chunks of row group g, fetched while the one before it decodes (a local file's read
    // otherwise leaves the thread idle, a remote one a round trip). Metered as the fetch happens.
    const fetchChunks = (g: number): Promise<Uint8Array[]> => {
      const rg = file.footer.rowGroups[g]!;
      const ranges = leaves.map((l) => ({ start: rg.chunks[l]!.start, end: rg.chunks[l]!.start + rg.chunks[l]!.length }));
      const before = totals.bytesFetched;
      // An executor (reading with its task's sink) keeps remote chunks for later jobs that prefer it for this split.
      const read = sink && file.source instanceof HttpRangeSource ? readCachedChunks(`${openId}|${file.path}`, file.source, ranges, totals) : file.source.read(ranges, totals);
      return read.then((buffers) => { if (metrics) metrics.bytesRead += totals.bytesFetched - before; return buffers; });
    };
    const toRead = wanted.length === 0 ? [] : split.rowGroups.filter((g) => file.footer.rowGroups[g]!.numRows > 0 && mayMatch(g));
    const fetched = new Map<number, Promise<Uint8Array[]>>();
    const prefetch = (g: number | undefined) => {
      if (g === undefined || fetched.has(g)) return;
      const p = fetchChunks(g);
      p.catch(() => undefined); // awaited when its turn comes; a scan stopped by a limit never reads it
      fetched.set(g, p);
    };
    prefetch(toRead[0]);

    for (const g of split.rowGroups) {
      if (remaining <= 0) return;
      const rg = file.footer.rowGroups[g]!;
      if (!mayMatch(g)) {
        totals.rowGroupsSkipped++;
        if (metrics) metrics.rowGroupsSkipped++;
        continue;
      }
      totals.rowGroupsRead++;
      if (metrics) metrics.rowGroupsRead++;
      if (rg.numRows === 0) continue;

      let batches: Batch[];
      if (wanted.length === 0) {
        // count(*) and partition-only queries: the row count comes from the footer, no column is read.
        batches = [];
        for (let at = 0; at < rg.numRows; at += batchRows) {
          const n = Math.min(batchRows, rg.numRows - at);
          batches.push({ numRows: n, columns: cols.map((c) => constantVector(partitionValues[c - fileWidth] ?? null, schema[c]!.type, n)) });
        }
      } else {
        prefetch(g);
        const buffers = await fetched.get(g)!;
        fetched.delete(g);
        if (remaining > rg.numRows) prefetch(toRead[toRead.indexOf(g) + 1]);
        const table = await this.decode(file, g, wanted, leaves, buffers, batchRows);
        batches = table.batches.map((rb) => {
          // Each Arrow column is converted once (vectorOf may convert in place), however often the projection names it.
          const converted = new Map<number, ColumnVector>();
          const columnOf = (c: number): ColumnVector => {
            let v = converted.get(c);
            if (!v) converted.set(c, v = vectorOf(rb.getChildAt(wanted.indexOf(topOf[c]!))!.data[0]!, schema[c]!.type, schema[c]!.name));
            return v;
          };
          return {
            numRows: rb.numRows,
            columns: cols.map((c) => c >= fileWidth ? constantVector(partitionValues[c - fileWidth] ?? null, schema[c]!.type, rb.numRows) : columnOf(c)),
          };
        });
      }
      for (const b of batches) {
        if (b.numRows > remaining) { totals.rowsRead += remaining; yield sliceBatch(b, 0, remaining); remaining = 0; return; }
        remaining -= b.numRows;
        totals.rowsRead += b.numRows;
        yield b;
      }
    }
  }

  describeScan(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[]): string | null {
    return source.kind === "parquet" ? describeParquetScan(source, schema, projection, filters) : null;
  }

  scanNotes(source: DataSource): string[] {
    return source.kind === "parquet" ? parquetScanNotes(source) : [];
  }

  private async decode(file: OpenedFile, g: number, wanted: number[], leaves: number[], buffers: Uint8Array[], batchRows: number): Promise<arrow.Table> {
    const pw = await loadParquetWasm();
    const attempt = (cols: number[]): arrow.Table => {
      const mini = buildMiniFile(file.footer, [g], cols, (_, leaf) => buffers[leaves.indexOf(leaf)]!, { plainDecimals: true, arrowSchema: dictionaryHint(file, g, cols) });
      return arrow.tableFromIPC(pw.readParquet(mini, { batchSize: batchRows }).intoIPCStream());
    };
    try {
      const table = attempt(wanted);
      if (table.numRows !== file.footer.rowGroups[g]!.numRows) {
        throw new Error(`decoded ${table.numRows} rows where the footer promises ${file.footer.rowGroups[g]!.numRows}`);
      }
      return table;
    } catch (e) {
      // Find the column chunk that fails, so the error can name it.
      for (const c of wanted) {
        try { attempt([c]); } catch (inner) {
          throw decodeError(inner, file.path, `: row group ${g}, column '${file.footer.columns[c]!.name}'`);
        }
      }
      throw decodeError(e, file.path, `: row group ${g}`);
    }
  }
}

export function parquetFormatReader(): FormatReader {
  return new ParquetFormatReader();
}

/** What a Parquet scan will read, from the footers alone. */
export interface ParquetScanPlan {
  files: number;
  rowGroups: number;
  /** Row groups the pushed filters rule out by their statistics. */
  rowGroupsPruned: number;
  columnChunks: number;
  /** Compressed bytes of the projected column chunks of the row groups left. */
  bytesToFetch: number;
  fileBytes: number;
  /** Bytes already fetched for the footers (and anything read so far). */
  bytesFetchedSoFar: number;
}

/** The footer-known plan of a scan; null when its footers are not in this process (a remote executor). */
export function planParquetScan(source: ParquetDataSource, schema: Field[], projection: number[] | null, filters: Expr[]): ParquetScanPlan | null {
  const opened = openedFiles(source);
  if (!opened) return null;
  const plan: ParquetScanPlan = { files: opened.length, rowGroups: 0, rowGroupsPruned: 0, columnChunks: 0, bytesToFetch: 0, fileBytes: 0, bytesFetchedSoFar: fetchedBytes(source) };
  opened.forEach((file, i) => {
    const fp = planFile(source, file, i, schema, projection, filters);
    plan.fileBytes += file.footer.fileSize;
    file.footer.rowGroups.forEach((rg, g) => {
      plan.rowGroups++;
      if (!fp.mayMatch(g)) { plan.rowGroupsPruned++; return; }
      if (rg.numRows === 0) return;
      for (const l of fp.leaves) { plan.columnChunks++; plan.bytesToFetch += rg.chunks[l]!.length; }
    });
  });
  return plan;
}

function describeParquetScan(source: ParquetDataSource, schema: Field[], projection: number[] | null, filters: Expr[]): string | null {
  const p = planParquetScan(source, schema, projection, filters);
  if (!p) return null;
  const what = p.columnChunks === 0
    ? "no column chunks to fetch (row counts from the footer)"
    : `${p.columnChunks} column chunk${p.columnChunks === 1 ? "" : "s"}, ${formatBytes(p.bytesToFetch)} of ${formatBytes(p.fileBytes)} to fetch`;
  return `row groups ${p.rowGroups - p.rowGroupsPruned} of ${p.rowGroups} (${p.rowGroupsPruned} pruned by statistics), ${what}; ${formatBytes(p.bytesFetchedSoFar)} fetched from the file${p.files === 1 ? "" : "s"} so far (footers included)`;
}

function parquetScanNotes(source: ParquetDataSource): string[] {
  const opened = openedFiles(source);
  if (!opened) return [];
  return opened.flatMap((f) => f.source instanceof HttpRangeSource && f.source.downloadedWhole
    ? [`the server for ${f.path} ignored Range: the whole file, ${formatBytes(f.source.stats.bytesFetched)}, was downloaded once when it was opened, and reads are served from that copy`]
    : []);
}
