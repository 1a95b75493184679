/**
 * An `http(s)` URL as a `ByteSource`, read with HTTP range requests. The
 * footer comes first in one suffix-range request (`Range: bytes=-N`), which
 * also tells the file size through `Content-Range`; servers that refuse
 * suffix ranges get HEAD + an explicit range, and servers that forbid HEAD
 * (pre-signed URLs) get `bytes=0-0` to learn the size. Nearby ranges are
 * coalesced. A server that ignores `Range` (200 instead of 206) would make
 * every read a whole-file download, so Cinder stops with a typed error
 * unless the caller opted in with `allowFullDownload`; then the file is
 * downloaded once, kept in memory, and a warning says so.
 */
import { IOError } from "../common/errors.ts";
import type { ByteRange, ByteSource, FetchStats } from "./byte-source.ts";
import { DEFAULT_COALESCE_GAP, charge, readCoalesced } from "./byte-source.ts";

export interface HttpSourceOptions {
  /** Accept downloading the whole file when the server does not honour `Range`. Default false. */
  allowFullDownload?: boolean;
  /** Gap (bytes) under which two ranges are fetched as one request. */
  coalesceGap?: number;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
}

/** Extra attempts after a request fails at the network level. */
const HTTP_RETRIES = 2;

export class HttpRangeSource implements ByteSource {
  readonly stats: FetchStats = { bytesFetched: 0, requests: 0 };
  readonly warnings: string[] = [];
  private knownSize: number | null = null;
  private whole: Uint8Array | null = null;

  constructor(readonly name: string, private readonly options: HttpSourceOptions = {}) {}

  private async get(headers: Record<string, string>, method = "GET", into?: FetchStats): Promise<Response> {
    // Range reads are idempotent, so a network failure (commonly a kept-alive connection the
    // server closed just as it was reused) is retried a couple of times before it is reported.
    for (let attempt = 0; ; attempt++) {
      charge(this.stats, into, 0, 1);
      try {
        return await fetch(this.name, { method, headers: { ...this.options.headers, ...headers } });
      } catch (e) {
        if (attempt < HTTP_RETRIES) { await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1))); continue; }
        throw new IOError("IO_ERROR", `cannot fetch ${this.name} (tried ${attempt + 1} times): ${(e as Error).message}`, { details: { url: this.name }, cause: e });
      }
    }
  }

  private async body(res: Response, into?: FetchStats): Promise<Uint8Array> {
    const bytes = new Uint8Array(await res.arrayBuffer());
    charge(this.stats, into, bytes.length, 0);
    return bytes;
  }

  private httpError(res: Response, what: string): IOError {
    return new IOError("IO_ERROR", `${what} ${this.name} failed: HTTP ${res.status} ${res.statusText}`, { details: { url: this.name, status: res.status } });
  }

  /**
   * The server answered 200 to a range request. Without opt-in: cancel the
   * body (only headers were transferred) and stop. With opt-in: keep the
   * whole body once and serve every later range from it.
   */
  private async ignoredRange(res: Response, into?: FetchStats): Promise<Uint8Array> {
    const length = res.headers.get("content-length");
    if (!this.options.allowFullDownload) {
      await res.body?.cancel().catch(() => undefined);
      throw new IOError("IO_ERROR",
        `the server for ${this.name} ignored the Range header (answered 200 instead of 206${length ? ` with ${length} bytes` : ""}), so reading it would download the whole file; ` +
        `use a server that supports range requests, or accept the full download: session.read.option("allowFullDownload", true), the setting io.allowFullDownload=true, or \`cinder sql --allow-full-download\``,
        { details: { url: this.name, status: res.status, reason: "range_not_supported", contentLength: length === null ? null : Number(length) } });
    }
    this.whole = await this.body(res, into);
    this.knownSize = this.whole.length;
    this.warnings.push(`server ignored Range for ${this.name}: downloaded the whole file (${this.whole.length} bytes) once`);
    return this.whole;
  }

  private static totalFrom(res: Response): number | null {
    const m = /\/\s*(\d+)\s*$/.exec(res.headers.get("content-range") ?? "");
    return m ? Number(m[1]) : null;
  }

  async size(): Promise<number> {
    if (this.knownSize !== null) return this.knownSize;
    const head = await this.get({}, "HEAD");
    const length = head.headers.get("content-length");
    if (head.ok && length !== null) return (this.knownSize = Number(length));
    // HEAD forbidden (pre-signed URLs) or no Content-Length: one byte tells the size through Content-Range.
    const probe = await this.get({ Range: "bytes=0-0" });
    if (probe.status === 206) {
      await this.body(probe);
      const total = HttpRangeSource.totalFrom(probe);
      if (total !== null) return (this.knownSize = total);
      throw new IOError("IO_ERROR", `the server for ${this.name} does not say how large the file is (no Content-Length on HEAD, no total in Content-Range)`, { details: { url: this.name } });
    }
    if (probe.status === 200) return (await this.ignoredRange(probe)).length;
    throw this.httpError(probe, "reading the size of");
  }

  async tail(n: number): Promise<{ bytes: Uint8Array; size: number }> {
    if (this.whole) return { bytes: this.whole.subarray(Math.max(0, this.whole.length - n)), size: this.whole.length };
    const res = await this.get({ Range: `bytes=-${n}` });
    if (res.status === 206) {
      const total = HttpRangeSource.totalFrom(res);
      const bytes = await this.body(res);
      if (total !== null) {
        this.knownSize = total;
        return { bytes, size: total };
      }
    } else if (res.status === 200) {
      const whole = await this.ignoredRange(res);
      return { bytes: whole.subarray(Math.max(0, whole.length - n)), size: whole.length };
    } else {
      await res.body?.cancel().catch(() => undefined);
      if (res.status !== 416 && res.status !== 400 && res.status !== 501 && res.status < 500 && res.status !== 405) throw this.httpError(res, "reading");
    }
    // Suffix ranges refused or no total given: learn the size, then ask for an explicit range.
    const size = await this.size();
    const whole = this.whole as Uint8Array | null; // size() may have downloaded it (opt-in)
    if (whole) return { bytes: whole.subarray(Math.max(0, size - n)), size };
    const [bytes] = await this.read([{ start: Math.max(0, size - n), end: size }]);
    return { bytes: bytes!, size };
  }

  private async readOne(r: ByteRange, into?: FetchStats): Promise<Uint8Array> {
    if (this.whole) return this.whole.subarray(r.start, r.end);
    if (r.end === r.start) return new Uint8Array(0);
    const res = await this.get({ Range: `bytes=${r.start}-${r.end - 1}` }, "GET", into);
    if (res.status === 200) return (await this.ignoredRange(res, into)).subarray(r.start, r.end);
    if (res.status !== 206) {
      await res.body?.cancel().catch(() => undefined);
      throw this.httpError(res, `reading bytes ${r.start}..${r.end} of`);
    }
    const bytes = await this.body(res, into);
    if (bytes.length !== r.end - r.start) {
      throw new IOError("IO_ERROR", `the server for ${this.name} sent ${bytes.length} bytes for range ${r.start}..${r.end}; the file may have changed or been truncated`, { details: { url: this.name, start: r.start, end: r.end, received: bytes.length } });
    }
    return bytes;
  }

  read(ranges: ByteRange[], into?: FetchStats): Promise<Uint8Array[]> {
    return readCoalesced(ranges, this.options.coalesceGap ?? DEFAULT_COALESCE_GAP, (r) => this.readOne(r, into));
  }

  /** True once the server was found to ignore Range and the whole file was downloaded (with opt-in). */
  get downloadedWhole(): boolean { return this.whole !== null; }
}
