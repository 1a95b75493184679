/**
 * Parquet inputs and their footers. Bytes, Blobs and ByteSources handed to
 * `read.parquet` are registered here under an id the plans carry (paths
 * and URLs need none); footers are read once per opened table (one exact
 * range read when the driver already knows the footer's length) and kept,
 * so `explain` can describe a scan without reading again.
 */
import * as arrow from "apache-arrow";
import type { DataSource } from "../plan/logical-plan.ts";
import type { DataType } from "../types/data-types.ts";
import { CinderError, IOError } from "../common/errors.ts";
import { dataTypeFromArrow } from "../exec/arrow-convert.ts";
import { sharedMemoryAvailable } from "../exec/shared-memory.ts";
import { loadParquetWasm } from "../../wasm/parquet-wasm.ts";
import type { ByteSource, FetchStats } from "./byte-source.ts";
import { BlobByteSource, FileByteSource, MemoryByteSource } from "./byte-source.ts";
import { HttpRangeSource } from "./http-range-source.ts";
import { OpfsByteSource, isOpfsPath } from "./opfs.ts";
import type { HttpSourceOptions } from "./http-range-source.ts";
import type { ParquetFooter } from "./parquet-metadata.ts";
import { FOOTER_GUESS, buildMiniFile, footerLength, parseFooter } from "./parquet-metadata.ts";

/** Where Parquet bytes come from; a `ByteSource` plugs in any other storage (it is read by ranges like the rest). */
export type ParquetInput = string | URL | Uint8Array | ArrayBuffer | Blob | ByteSource;

export interface ParquetReadOptions extends HttpSourceOptions {
  /** Row groups are grouped into one split until it holds this many compressed bytes (default 8 MiB). */
  splitBytes?: number;
  /** Rows per batch handed to operators (default 65536). */
  batchRows?: number;
}

export type ParquetDataSource = Extract<DataSource, { kind: "parquet" }>;

export interface OpenedFile {
  path: string;
  source: ByteSource;
  footer: ParquetFooter;
  fields: { name: string; type: DataType; nullable: boolean }[];
  /** The Arrow schema parquet-wasm reads the whole file as: what a mini file's schema hint starts from. */
  arrowSchema: arrow.Schema;
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

export function registerInput(input: Uint8Array | ArrayBuffer | Blob | ByteSource, options: ParquetReadOptions): string {
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

/** True once the footer of `path` in opened table `openId` is being read or cached in this process. */
export function footerCached(openId: string, path: string): boolean {
  return files.has(`${openId}|${path}`);
}

/** Wraps anything parquet-wasm or a source threw as a typed error naming the file (and where known, row group and column). */
export function decodeError(e: unknown, file: string, where: string): CinderError {
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
  return { path, source, footer, fields, arrowSchema: schema, footerFetch, footerLength: len };
}

export function cachedFile(openId: string, path: string, options: ParquetReadOptions): Promise<OpenedFile> {
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

/** The footers of an opened table already read in this process; null when some are not (a remote executor). */
export function openedFiles(source: ParquetDataSource): OpenedFile[] | null {
  const openId = String(source.options?.openId ?? "remote");
  const out: OpenedFile[] = [];
  for (const path of source.paths) {
    const f = resolved.get(`${openId}|${path}`);
    if (!f) return null;
    out.push(f);
  }
  return out;
}

/** Bytes fetched so far from the inputs of a Parquet source (footers included), for explain output and tests. */
export function fetchedBytes(source: DataSource): number {
  if (source.kind !== "parquet") return 0;
  const openId = String(source.options?.openId);
  return (sourcesByOpen.get(openId) ?? []).reduce((n, s) => n + s.stats.bytesFetched, 0);
}
