/**
 * Parquet as a Cinder data source. `openParquet` reads the footers of the
 * inputs (bytes, Blobs, Node paths, directories and globs with Hive
 * partitions, URLs), checks that their schemas agree, and describes the
 * table as plain data: the file list, one split per row group (small row
 * groups grouped), partition values. `parquetFormatReader` reads one split:
 * it skips row groups whose statistics cannot match the pushed filters,
 * fetches only the projected column chunks of the rest (see
 * `buildMiniFile`), lets parquet-wasm decode them, and converts the Arrow
 * result to Cinder batches (`parquet-vectors.ts`). Memory stays bounded by one row group in
 * flight, and footers are cached per opened table, so a local run reads
 * each footer once. From the footers alone `planParquetScan` tells what a
 * scan will fetch (for `explain`), and a scan with no projected column
 * (`count(*)`) fetches no column chunk; what a scan did fetch is counted in
 * its running totals (`scan-metrics.ts`).
 */
import * as arrow from "apache-arrow";
import type { DataSource } from "../plan/logical-plan.ts";
import type { Expr } from "../plan/expressions.ts";
import type { LiteralValue } from "../types/operations.ts";
import { newExprId } from "../plan/expressions.ts";
import type { DataType, Field } from "../types/data-types.ts";
import { typeToString, typeEquals } from "../types/data-types.ts";
import { AnalysisError, CinderError, IOError } from "../common/errors.ts";
import type { Batch, ColumnVector } from "../exec/column-vector.ts";
import { sliceBatch } from "../exec/column-vector.ts";
import { constantVector } from "../exec/constant.ts";
import { dataTypeFromArrow } from "../exec/arrow-convert.ts";
import { sharedMemoryAvailable } from "../exec/shared-memory.ts";
import { vectorOf } from "./parquet-vectors.ts";
import type { TaskMetrics } from "../types/task-metrics.ts";
import type { BatchStream } from "../exec/column-vector.ts";
import { loadParquetWasm } from "../../wasm/parquet-wasm.ts";
import type { ByteSource, FetchStats } from "./byte-source.ts";
import { BlobByteSource, FileByteSource, MemoryByteSource } from "./byte-source.ts";
import { HttpRangeSource } from "./http-range-source.ts";
import { readCachedChunks } from "./chunk-cache.ts";
import { OpfsByteSource, isOpfsPath } from "./opfs.ts";
import type { HttpSourceOptions } from "./http-range-source.ts";
import type { ParquetFooter } from "./parquet-metadata.ts";
import { FOOTER_GUESS, buildMiniFile, footerLength, parseFooter } from "./parquet-metadata.ts";
import { columnStatsOf, constantStats, rowGroupMayMatch } from "./parquet-pruning.ts";
import type { ColumnStats } from "./parquet-pruning.ts";
import { listLocal, partitionColumns } from "./hive-partitions.ts";
import type { ListedFile } from "./hive-partitions.ts";
import type { FormatReader } from "./source-registry.ts";
import type { ScanMetrics } from "./scan-metrics.ts";
import { forgetScanPath, formatBytes, scanKey, scanTotals } from "./scan-metrics.ts";

/** Where Parquet bytes come from; a `ByteSource` plugs in any other storage (it is read by ranges like the rest). */
export type ParquetInput = string | URL | Uint8Array | ArrayBuffer | Blob | ByteSource;

export interface ParquetReadOptions extends HttpSourceOptions {
  /** Row groups are grouped into one split until it holds this many compressed bytes (default 8 MiB). */
  splitBytes?: number;
  /** Rows per batch handed to operators (default 65536). */
  batchRows?: number;
}

export interface OpenedSource {
  schema: Field[];
  source: DataSource;
}

/** One scan partition: row groups of one file. */
export interface ParquetSplit { file: number; rowGroups: number[] }

type ParquetDataSource = Extract<DataSource, { kind: "parquet" }>;

interface OpenedFile {
  path: string;
  source: ByteSource;
  footer: ParquetFooter;
  fields: { name: string; type: DataType; nullable: boolean }[];
  /** What reading the footer fetched. */
  footerFetch: FetchStats;
  /** Bytes of the Thrift footer (without the 8-byte length and magic). */
  footerLength: number;
}

// Bytes and Blobs handed to read.parquet live here under an id; plans carry the id.
const inputs = new Map<string, ByteSource>();
let nextInputId = 1;

// Footers of opened tables, by `${openId}|${path}`. Bounded: oldest entries go first.
const files = new Map<string, Promise<OpenedFile>>();
const MAX_CACHED_FILES = 512;
// The same footers once read, so `explain` can describe a scan synchronously.
const resolved = new Map<string, OpenedFile>();
// The byte sources behind each opened table, for `fetchedBytes`.
const sourcesByOpen = new Map<string, ByteSource[]>();
let nextOpenId = 1;

function byteSourceFor(path: string, options: ParquetReadOptions): ByteSource {
  const registered = inputs.get(path);
  if (registered) return registered;
  if (/^https?:\/\//i.test(path)) return new HttpRangeSource(path, options);
  if (path.startsWith("memory:") || path.startsWith("blob:cinder") || path.startsWith("source:cinder")) {
    throw new IOError("IO_ERROR", `${path} was given as bytes in another process; in-memory Parquet inputs can only be read where they were registered`, { details: { file: path } });
  }
  if (isOpfsPath(path)) return new OpfsByteSource(path, options.coalesceGap);
  return new FileByteSource(path, options.coalesceGap);
}

function isByteSource(x: unknown): x is ByteSource {
  return typeof x === "object" && x !== null && typeof (x as ByteSource).tail === "function" && typeof (x as ByteSource).read === "function";
}

function registerInput(input: Uint8Array | ArrayBuffer | Blob | ByteSource, options: ParquetReadOptions): string {
  if (isByteSource(input)) {
    const id = `source:cinder-${nextInputId++}/${input.name}`;
    inputs.set(id, input);
    return id;
  }
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const id = `memory:parquet-${nextInputId++}`;
    inputs.set(id, new MemoryByteSource(id, input instanceof Uint8Array ? input : new Uint8Array(input)));
    return id;
  }
  const fileName = (input as { name?: string }).name;
  const id = `blob:cinder-${nextInputId++}${fileName ? `/${fileName}` : ""}`;
  inputs.set(id, new BlobByteSource(id, input, options.coalesceGap));
  return id;
}

/**
 * What a driver-held input (`memory:` bytes, `blob:cinder` Blobs) is, for
 * shipping to executors in other threads: bytes are moved into a
 * SharedArrayBuffer once where the runtime has one (the driver's own
 * source moves there too, so memory is not doubled), so every executor
 * shares them; a Blob is structured-cloned (a reference, not its bytes).
 * Null for inputs that cannot move (a ByteSource of the caller's own) and
 * for paths that are no registered input.
 */
export function shippableInput(path: string): Uint8Array | Blob | null {
  const source = inputs.get(path);
  if (source instanceof MemoryByteSource) return sharedMemoryAvailable() ? source.share() : source.bytes;
  if (source instanceof BlobByteSource) return source.blob;
  return null;
}

/** Registers an input shipped from the driver under the driver's id, so this process's reads of `path` find it. */
export function registerShippedInput(path: string, data: Uint8Array | Blob): void {
  if (inputs.has(path)) return;
  if (data instanceof Uint8Array) inputs.set(path, new MemoryByteSource(path, data));
  else inputs.set(path, new BlobByteSource(path, data));
}

/** True when `path` is an input registered (or shipped) in this process. */
export function hasInput(path: string): boolean {
  return inputs.has(path);
}

/** Wraps anything parquet-wasm or a source threw as a typed error naming the file (and where known, row group and column). */
function decodeError(e: unknown, file: string, where: string): CinderError {
  if (CinderError.is(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new IOError("CORRUPT_PARQUET", `${file}${where}: cannot decode: ${message}`, { details: { file, where }, cause: e });
}

async function readFooter(path: string, options: ParquetReadOptions): Promise<OpenedFile> {
  const source = byteSourceFor(path, options);
  // An executor reopening a file knows its footer's length from the driver (the source's plain data): one exact read.
  const known = (options as { footerLengths?: Record<string, number> }).footerLengths?.[path];
  const { bytes: tail, size } = await source.tail(known !== undefined ? known + 8 : FOOTER_GUESS);
  const len = footerLength(tail, size, path);
  const footerBytes = len + 8 <= tail.length
    ? tail.subarray(tail.length - 8 - len, tail.length - 8)
    : (await source.read([{ start: size - 8 - len, end: size - 8 }]))[0]!;
  const footer = parseFooter(footerBytes, size, path);
  const footerFetch = { bytesFetched: source.stats.bytesFetched, requests: source.stats.requests };
  const pw = await loadParquetWasm();
  let schema: arrow.Schema;
  try {
    const schemaFile = buildMiniFile(footer, [], footer.columns.map((_, i) => i), () => new Uint8Array(0));
    schema = arrow.tableFromIPC(pw.readSchema(schemaFile).intoIPCStream()).schema;
  } catch (e) {
    throw decodeError(e, path, " (schema)");
  }
  const fields = schema.fields.map((f) => {
    try {
      return { name: f.name, type: dataTypeFromArrow(f.type, f.name), nullable: f.nullable };
    } catch (e) {
      throw new IOError("IO_ERROR", `${path}: column '${f.name}' has type ${String(f.type)}, which Cinder cannot read yet; select a file without it or rewrite the column as a supported type`,
        { details: { file: path, column: f.name, type: String(f.type), reason: "unsupported_type" }, cause: e });
    }
  });
  if (fields.length !== footer.columns.length) {
    throw new IOError("CORRUPT_PARQUET", `${path}: the schema has ${footer.columns.length} columns but decodes to ${fields.length}`, { details: { file: path } });
  }
  return { path, source, footer, fields, footerFetch, footerLength: len };
}

function cachedFile(openId: string, path: string, options: ParquetReadOptions): Promise<OpenedFile> {
  const key = `${openId}|${path}`;
  let file = files.get(key);
  if (!file) {
    file = readFooter(path, options);
    files.set(key, file);
    file.then((f) => {
      resolved.set(key, f);
      if (resolved.size > MAX_CACHED_FILES) resolved.delete(resolved.keys().next().value!);
      const list = sourcesByOpen.get(openId) ?? [];
      if (!list.includes(f.source)) list.push(f.source);
      sourcesByOpen.set(openId, list);
    }, () => files.delete(key));
    if (files.size > MAX_CACHED_FILES) files.delete(files.keys().next().value!);
  }
  return file;
}

/** Groups consecutive row groups into splits of about `target` compressed bytes. */
function splitsOf(fileIndex: number, footer: ParquetFooter, target: number): ParquetSplit[] {
  const out: ParquetSplit[] = [];
  let current: number[] = [], bytes = 0;
  footer.rowGroups.forEach((rg, g) => {
    const size = rg.chunks.reduce((n, c) => n + c.length, 0);
    if (current.length && bytes + size > target) { out.push({ file: fileIndex, rowGroups: current }); current = []; bytes = 0; }
    current.push(g);
    bytes += size;
  });
  if (current.length) out.push({ file: fileIndex, rowGroups: current });
  return out;
}

/**
 * Reads the footers of `inputs` and describes them as one source.
 *
 * @example const { schema, source } = await openParquet(["data/trips/"], {});
 */
export async function openParquet(given: ParquetInput[], options: ParquetReadOptions = {}): Promise<OpenedSource> {
  if (given.length === 0) throw new IOError("IO_ERROR", "read.parquet needs at least one input (bytes, Blob, path or URL)");
  const listed: ListedFile[] = [];
  for (const input of given) {
    if (typeof input === "string" || input instanceof URL) {
      const path = String(input);
      if (/^https?:\/\//i.test(path) || inputs.has(path)) listed.push({ path, partitions: {} });
      else listed.push(...await listLocal(path));
    } else {
      listed.push({ path: registerInput(input, options), partitions: {} });
    }
  }
  const openId = `o${nextOpenId++}`;
  const opened = await Promise.all(listed.map((f) => cachedFile(openId, f.path, options)));
  const parts = partitionColumns(listed);

  // Files union by column name; the first file fixes the order and the types.
  const first = opened[0]!;
  const fields = first.fields.map((f) => ({ ...f }));
  for (const file of opened.slice(1)) {
    for (const f of fields) {
      const other = file.fields.find((o) => o.name === f.name);
      if (!other) {
        throw new AnalysisError("DATATYPE_MISMATCH", `${file.path} has no column '${f.name}', which ${first.path} has; files read as one table need the same columns`, { details: { file: file.path, column: f.name } });
      }
      if (!typeEquals(other.type, f.type) || (f.type.kind === "timestamp" && other.type.kind === "timestamp" && f.type.timezone !== other.type.timezone)) {
        throw new AnalysisError("DATATYPE_MISMATCH",
          `${file.path}: column '${f.name}' is ${typeToString(other.type)} but ${first.path} has ${typeToString(f.type)}; files read as one table need compatible schemas (rewrite one file or cast after reading them separately)`,
          { details: { file: file.path, column: f.name, expected: typeToString(f.type), found: typeToString(other.type) } });
      }
      f.nullable ||= other.nullable;
    }
    const extra = file.fields.find((o) => !fields.some((f) => f.name === o.name));
    if (extra) {
      throw new AnalysisError("DATATYPE_MISMATCH", `${file.path} has a column '${extra.name}' that ${first.path} lacks; files read as one table need the same columns`, { details: { file: file.path, column: extra.name } });
    }
  }
  for (const name of parts.names) {
    if (fields.some((f) => f.name === name)) {
      throw new AnalysisError("DATATYPE_MISMATCH", `partition directory key '${name}' is also a column inside the files; rename one of them`, { details: { column: name } });
    }
  }
  const schema: Field[] = [
    ...fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable, id: newExprId() })),
    ...parts.names.map((name, i) => ({ name, type: parts.types[i]!, nullable: parts.values.some((v) => v[i] === null), id: newExprId() })),
  ];
  const target = options.splitBytes ?? 8 * 1024 * 1024;
  const splits = opened.flatMap((f, i) => splitsOf(i, f.footer, target));
  const warnings = opened.flatMap((f) => f.source.warnings);
  const readOptions: Record<string, unknown> = {
    numPartitions: Math.max(1, splits.length), openId,
    footerLengths: Object.fromEntries(opened.map((f) => [f.path, f.footerLength])),
  };
  for (const key of ["allowFullDownload", "coalesceGap", "headers", "batchRows"] as const) if (options[key] !== undefined) readOptions[key] = options[key];
  const source: ParquetDataSource = {
    kind: "parquet",
    paths: listed.map((f) => f.path),
    rowCount: opened.reduce((n, f) => n + f.footer.numRows, 0),
    sizeBytes: opened.reduce((n, f) => n + f.footer.fileSize, 0),
    options: readOptions,
    splits,
    partitionColumns: parts.names,
    partitionValues: parts.values,
  };
  if (warnings.length) source.warnings = warnings;
  return { schema, source };
}

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
    const opening = !files.has(`${openId}|${path}`);
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
        const ranges = leaves.map((l) => ({ start: rg.chunks[l]!.start, end: rg.chunks[l]!.start + rg.chunks[l]!.length }));
        const before = totals.bytesFetched;
        // An executor (reading with its task's sink) keeps remote chunks for later jobs that prefer it for this split.
        const buffers = sink && file.source instanceof HttpRangeSource ? await readCachedChunks(`${openId}|${file.path}`, file.source, ranges, totals) : await file.source.read(ranges, totals);
        if (metrics) metrics.bytesRead += totals.bytesFetched - before;
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
      const mini = buildMiniFile(file.footer, [g], cols, (_, leaf) => buffers[leaves.indexOf(leaf)]!, true);
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

function openedFiles(source: ParquetDataSource): OpenedFile[] | null {
  const openId = String(source.options?.openId ?? "remote");
  const out: OpenedFile[] = [];
  for (const path of source.paths) {
    const f = resolved.get(`${openId}|${path}`);
    if (!f) return null;
    out.push(f);
  }
  return out;
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

/** Bytes fetched so far from the inputs of a Parquet source (footers included), for explain output and tests. */
export function fetchedBytes(source: DataSource): number {
  if (source.kind !== "parquet") return 0;
  const openId = String(source.options?.openId);
  return (sourcesByOpen.get(openId) ?? []).reduce((n, s) => n + s.stats.bytesFetched, 0);
}
