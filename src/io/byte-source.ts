/**
 * Random-access bytes behind one interface, whatever holds them: a
 * `Uint8Array`/`ArrayBuffer`, a `Blob`/`File` (drag-and-drop in a page), a
 * local path (Node) or an `http(s)` URL (see `http-range-source.ts`).
 * Readers ask for byte ranges; each source fetches them its cheapest way
 * (nearby ranges coalesced into one read) and counts what it fetched, so
 * scans can report bytes read and tests can check that a selective query
 * stays selective.
 */
import { IOError } from "../common/errors.ts";
import { isSharedBuffer } from "../exec/shared-memory.ts";

export interface ByteRange { start: number; end: number }

export interface FetchStats {
  /** Bytes actually transferred (or read from disk) so far. */
  bytesFetched: number;
  /** Reads issued (HTTP requests, disk reads). */
  requests: number;
}

export interface ByteSource {
  /** How the source is named in errors and plans. */
  readonly name: string;
  readonly stats: FetchStats;
  /** Notes a reader should pass on (e.g. "the server ignored Range"). */
  readonly warnings: string[];
  size(): Promise<number>;
  /** The last `n` bytes (fewer if the file is shorter) and the file size, in as few reads as the source allows. */
  tail(n: number): Promise<{ bytes: Uint8Array; size: number }>;
  /**
   * One buffer per range, in order. `into`, when given, is charged for this
   * call's bytes and requests too (besides `stats`), so a scan can count its
   * own fetches while other scans read the same source.
   */
  read(ranges: ByteRange[], into?: FetchStats): Promise<Uint8Array[]>;
}

/** Adds one fetch to the source's stats and the caller's. */
export function charge(stats: FetchStats, into: FetchStats | undefined, bytes: number, requests: number): void {
  stats.bytesFetched += bytes;
  stats.requests += requests;
  if (into) { into.bytesFetched += bytes; into.requests += requests; }
}

/** Ranges closer than this are read as one, trading a few wasted bytes for fewer round trips. */
export const DEFAULT_COALESCE_GAP = 64 * 1024;

/** Merges sorted-or-not ranges whose gaps are at most `gap`; `parts[i]` says which merged range holds range i. */
export function coalesceRanges(ranges: ByteRange[], gap: number): { merged: ByteRange[]; parts: number[] } {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.start - ranges[b]!.start);
  const merged: ByteRange[] = [];
  const parts = new Array<number>(ranges.length);
  for (const i of order) {
    const r = ranges[i]!;
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + gap) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
    parts[i] = merged.length - 1;
  }
  return { merged, parts };
}

/** Reads `ranges` through `readOne` after coalescing, and cuts the results back apart. */
export async function readCoalesced(ranges: ByteRange[], gap: number, readOne: (r: ByteRange) => Promise<Uint8Array>): Promise<Uint8Array[]> {
  const { merged, parts } = coalesceRanges(ranges, gap);
  const buffers = await Promise.all(merged.map(readOne));
  return ranges.map((r, i) => {
    const m = merged[parts[i]!]!;
    return buffers[parts[i]!]!.subarray(r.start - m.start, r.end - m.start);
  });
}

function checkRange(name: string, r: ByteRange, size: number): void {
  if (r.start < 0 || r.end > size || r.start > r.end) {
    throw new IOError("CORRUPT_PARQUET", `${name}: bytes ${r.start}..${r.end} lie outside the ${size}-byte file; the file is truncated or its metadata is corrupt`, { details: { file: name, start: r.start, end: r.end, size } });
  }
}

/**
 * Bytes already in memory: reads are views, nothing is copied. Bytes in a
 * SharedArrayBuffer (shipped once to every executor, shared not copied)
 * hand out the footer as a copy: Chromium's TextDecoder refuses views of
 * shared memory (TOOLCHAIN.md); column chunks are copied into the
 * decoder's input anyway.
 */
export class MemoryByteSource implements ByteSource {
  readonly stats: FetchStats = { bytesFetched: 0, requests: 0 };
  readonly warnings: string[] = [];
  constructor(readonly name: string, private data: Uint8Array) {}
  get bytes(): Uint8Array { return this.data; }
  /** Moves the bytes into a SharedArrayBuffer (once) and returns them there. */
  share(): Uint8Array {
    if (!isSharedBuffer(this.data.buffer)) {
      const shared = new Uint8Array(new SharedArrayBuffer(this.data.length));
      shared.set(this.data);
      this.data = shared;
    }
    return this.data;
  }
  async size(): Promise<number> { return this.data.length; }
  async tail(n: number): Promise<{ bytes: Uint8Array; size: number }> {
    const b = this.data.subarray(Math.max(0, this.data.length - n));
    this.stats.bytesFetched += b.length;
    return { bytes: isSharedBuffer(b.buffer) ? b.slice() : b, size: this.data.length };
  }
  async read(ranges: ByteRange[], into?: FetchStats): Promise<Uint8Array[]> {
    return ranges.map((r) => {
      checkRange(this.name, r, this.data.length);
      charge(this.stats, into, r.end - r.start, 0);
      return this.data.subarray(r.start, r.end);
    });
  }
}

/** A `Blob` or `File`: ranges are read with `slice().arrayBuffer()`, so a large dropped file is never read whole. */
export class BlobByteSource implements ByteSource {
  readonly warnings: string[] = [];
  constructor(readonly name: string, readonly blob: Blob, private readonly gap = DEFAULT_COALESCE_GAP, readonly stats: FetchStats = { bytesFetched: 0, requests: 0 }) {}
  async size(): Promise<number> { return this.blob.size; }
  async tail(n: number): Promise<{ bytes: Uint8Array; size: number }> {
    const start = Math.max(0, this.blob.size - n);
    return { bytes: await this.readOne({ start, end: this.blob.size }), size: this.blob.size };
  }
  private async readOne(r: ByteRange, into?: FetchStats): Promise<Uint8Array> {
    checkRange(this.name, r, this.blob.size);
    charge(this.stats, into, r.end - r.start, 1);
    return new Uint8Array(await this.blob.slice(r.start, r.end).arrayBuffer());
  }
  read(ranges: ByteRange[], into?: FetchStats): Promise<Uint8Array[]> { return readCoalesced(ranges, this.gap, (r) => this.readOne(r, into)); }
}

interface NodeFileHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}
interface NodeFs { open(path: string, flags: string): Promise<NodeFileHandle> }

/** `node:fs/promises`, loaded only when a path is read, so browser bundles never see it. */
export async function nodeFs(): Promise<NodeFs & Record<string, unknown>> {
  const specifier = "node:fs/promises";
  try {
    return await import(/* @vite-ignore */ specifier) as NodeFs & Record<string, unknown>;
  } catch (e) {
    throw new IOError("IO_ERROR", "reading a local path needs Node's file system; in a browser pass a File, Blob, Uint8Array or URL instead", { cause: e });
  }
}

/** A local file (Node): each read opens the file, so a source holds no descriptor between queries. */
export class FileByteSource implements ByteSource {
  readonly stats: FetchStats = { bytesFetched: 0, requests: 0 };
  readonly warnings: string[] = [];
  private knownSize: number | null = null;
  constructor(readonly name: string, private readonly gap = DEFAULT_COALESCE_GAP) {}

  private async withFile<T>(f: (h: NodeFileHandle) => Promise<T>): Promise<T> {
    const fs = await nodeFs();
    let handle: NodeFileHandle;
    try {
      handle = await fs.open(this.name, "r");
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new IOError("IO_ERROR", `cannot open ${this.name}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`, { details: { file: this.name, errno: code }, cause: e });
    }
    try { return await f(handle); } finally { await handle.close(); }
  }

  async size(): Promise<number> {
    this.knownSize ??= await this.withFile(async (h) => (await h.stat()).size);
    return this.knownSize;
  }

  private async readWith(h: NodeFileHandle, r: ByteRange, into?: FetchStats): Promise<Uint8Array> {
    const out = new Uint8Array(r.end - r.start);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await h.read(out, done, out.length - done, r.start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    charge(this.stats, into, done, 1);
    if (done < out.length) {
      throw new IOError("CORRUPT_PARQUET", `${this.name} ended at byte ${r.start + done} while reading bytes ${r.start}..${r.end}; the file is truncated`, { details: { file: this.name } });
    }
    return out;
  }

  async tail(n: number): Promise<{ bytes: Uint8Array; size: number }> {
    return this.withFile(async (h) => {
      const size = (await h.stat()).size;
      this.knownSize = size;
      return { bytes: await this.readWith(h, { start: Math.max(0, size - n), end: size }), size };
    });
  }

  async read(ranges: ByteRange[], into?: FetchStats): Promise<Uint8Array[]> {
    const size = await this.size();
    for (const r of ranges) checkRange(this.name, r, size);
    return this.withFile((h) => readCoalesced(ranges, this.gap, (r) => this.readWith(h, r, into)));
  }
}
