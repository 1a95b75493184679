/**
 * The `SourceReader` a task uses to read Scan splits: in-memory tables
 * registered by the session (`createDataFrame`, Arrow tables), `range`, and
 * file formats that register a reader for their `DataSource` kind.
 */
import type { DataSource } from "../plan/logical-plan.ts";
import type { Field } from "../types/data-types.ts";
import type { Expr } from "../plan/expressions.ts";
import type { Batch } from "../exec/column-vector.ts";
import { projectBatch, sliceBatch } from "../exec/column-vector.ts";
import { IOError, InternalError } from "../common/errors.ts";
import type { TaskMetrics } from "../types/task-metrics.ts";
import type { SourceReader } from "./source-reader.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import type { ScanMetrics } from "./scan-metrics.ts";
import { scanPathNote } from "./scan-metrics.ts";

/** Reads one format's sources (Parquet, CSV, ...). */
export interface FormatReader {
  numPartitions(source: DataSource): number;
  /**
   * `metrics` (the task's) receives bytesRead, rowGroupsRead and rowGroupsSkipped;
   * `sink`, when given, receives the scan's costs instead of the process's running totals (an executor's task).
   */
  read(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[], partition: number, limit?: number, metrics?: TaskMetrics, sink?: ScanMetrics): BatchStream;
  /** What a scan will read, known before it runs (for `explain`); null when unknown here. */
  describeScan?(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[]): string | null;
  /** Things about the source a user should know after a run (e.g. a whole-file download). */
  scanNotes?(source: DataSource): string[];
}

let nextTableId = 1;

export class SourceRegistry implements SourceReader {
  private readonly tables = new Map<string, Batch[][]>();
  private readonly formats = new Map<string, FormatReader>();

  /** Keeps `partitions` in memory under a fresh table id. */
  registerTable(partitions: Batch[][]): string {
    const id = `t${nextTableId++}`;
    this.tables.set(id, partitions);
    return id;
  }

  tablePartitions(id: string): Batch[][] | undefined {
    return this.tables.get(id);
  }

  registerFormat(kind: string, reader: FormatReader): void {
    this.formats.set(kind, reader);
  }

  /** Registers the reader for `kind` the first time it is needed. */
  ensureFormat(kind: string, make: () => FormatReader): void {
    if (!this.formats.has(kind)) this.formats.set(kind, make());
  }

  numPartitions(source: DataSource): number {
    switch (source.kind) {
      case "memory": case "range": return source.numPartitions;
      default: return this.format(source).numPartitions(source);
    }
  }

  read(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[], partition: number, limit?: number, metrics?: TaskMetrics, sink?: ScanMetrics): BatchStream {
    switch (source.kind) {
      case "memory": return this.readMemory(source.tableId, projection, partition);
      case "range": return readRange(source, partition);
      default: return this.format(source).read(source, schema, projection, filters, partition, limit, metrics, sink);
    }
  }

  /** The reader's footer-known description of a scan, or null (memory tables, range, unknown formats). */
  describeScan(source: DataSource, schema: Field[], projection: number[] | null, filters: Expr[]): string | null {
    if (source.kind === "memory" || source.kind === "range") return null;
    const reader = this.formats.get(source.kind === "external" ? source.format : source.kind);
    return reader?.describeScan?.(source, schema, projection, filters) ?? null;
  }

  scanNotes(source: DataSource): string[] {
    if (source.kind === "memory" || source.kind === "range") return [];
    const reader = this.formats.get(source.kind === "external" ? source.format : source.kind);
    const path = scanPathNote(source);
    return [...reader?.scanNotes?.(source) ?? [], ...path ? [path] : []];
  }

  private format(source: DataSource): FormatReader {
    const key = source.kind === "external" ? source.format : source.kind;
    const reader = this.formats.get(key);
    if (!reader) throw new IOError("IO_ERROR", `no reader is registered for ${key} sources in this session`, { details: { format: key } });
    return reader;
  }

  private async *readMemory(tableId: string, projection: number[] | null, partition: number): BatchStream {
    const table = this.tables.get(tableId);
    if (!table) throw new InternalError(`memory table ${tableId} is not registered here`);
    for (const batch of table[partition] ?? []) yield projectBatch(batch, projection);
  }
}

const RANGE_BATCH = 65536;

async function* readRange(source: Extract<DataSource, { kind: "range" }>, partition: number): BatchStream {
  const total = Math.max(0, Math.ceil((source.end - source.start) / source.step));
  const per = Math.ceil(total / source.numPartitions);
  const from = partition * per, to = Math.min(total, from + per);
  for (let at = from; at < to; at += RANGE_BATCH) {
    const n = Math.min(RANGE_BATCH, to - at);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = source.start + (at + i) * source.step;
    yield { numRows: n, columns: [{ type: { kind: "int64" }, length: n, values, validity: null }] };
  }
}

/** Cuts one batch list into `n` partitions of nearly equal row counts. */
export function splitIntoPartitions(batches: Batch[], n: number, maxBatchRows: number): Batch[][] {
  const total = batches.reduce((s, b) => s + b.numRows, 0);
  const per = Math.max(1, Math.ceil(total / n));
  const parts: Batch[][] = Array.from({ length: n }, () => []);
  let p = 0, inPart = 0;
  for (const b of batches) {
    let start = 0;
    while (start < b.numRows) {
      const take = Math.min(b.numRows - start, per - inPart, maxBatchRows);
      parts[p]!.push(start === 0 && take === b.numRows ? b : sliceBatch(b, start, start + take));
      start += take;
      inPart += take;
      if (inPart >= per && p < n - 1) { p++; inPart = 0; }
    }
  }
  return parts;
}
