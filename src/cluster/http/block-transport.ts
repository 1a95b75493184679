/**
 * Fetching blocks from an edge executor over HTTP, as Spark's block
 * transfer service does between JVMs: the blocks one holder has for a task
 * go in one request (`POST /v1/blocks/fetch`, framed as block-frames.ts
 * says, every batch with its checksum), requests in flight are
 * bounded (workerd allows an isolate a handful of outgoing connections),
 * every request has a timeout and an AbortSignal, and a timeout, a 5xx, a
 * body cut off before its Content-Length or one failing its checksum is
 * retried with backoff. What still fails is thrown, and the shuffle reader
 * turns it into a FetchFailed, so the DAGScheduler reruns the lost map
 * outputs. A block the holder does not have is null, not an error.
 */
import type { Batch } from "../../exec/column-vector.ts";
import { CinderError } from "../../common/errors.ts";
import { encodeMessage } from "./wire.ts";
import { DamagedReplyError, readBlockFrames } from "./block-frames.ts";

export const CHECKSUM_HEADER = "x-cinder-checksum";
export const TOKEN_HEADER = "authorization";

export interface TransportOptions {
  /** Per request, ms (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff, doubled each retry (default 50 ms). */
  backoffMs?: number;
  /** Requests in flight at once, over all holders (default 6). */
  maxInFlight?: number;
  /** Block ids per request at most (default 64). */
  maxBlocksPerRequest?: number;
  /** The fetch to use (tests inject faults through it). */
  fetch?: typeof fetch;
}

/**
 * `sha1-<hex>` of `bytes`: a block's checksum (`GET /v1/blocks/:id`), as
 * Spark checksums shuffle blocks, to catch corruption; whom a block is
 * served to is the job token's business, so the fastest digest every
 * runtime's Web Crypto has will do (SHA-256 cost a third of a loopback fetch).
 */
export async function checksumOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return `sha1-${hex}`;
}



/** A failure worth another attempt (the network, the server's state); anything else is final. */
class RetryableError extends Error {}

/** Waits for a free slot; `release` frees it. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(n: number) { this.free = Math.max(1, n); }
  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); else this.free++;
    };
  }
}

export class BlockTransport {
  private readonly slots: Slots;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: TransportOptions = {}) {
    this.slots = new Slots(options.maxInFlight ?? 6);
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /**
   * The blocks `blockIds` from the executor at `baseUrl` (null for each it
   * does not hold), authorized by `token`.
   */
  async fetchBlocks(baseUrl: string, token: string, blockIds: readonly string[]): Promise<(Batch[] | null)[]> {
    const size = Math.max(1, this.options.maxBlocksPerRequest ?? 64);
    const chunks: string[][] = [];
    for (let i = 0; i < blockIds.length; i += size) chunks.push(blockIds.slice(i, i + size));
    const parts = await Promise.all(chunks.map((ids) => this.request(new URL("/v1/blocks/fetch", baseUrl).href, token, ids)));
    return parts.flat();
  }

  /** One batch request, retried with backoff on what the network or the server may cure. */
  private async request(url: string, token: string, blockIds: readonly string[]): Promise<(Batch[] | null)[]> {
    const retries = this.options.retries ?? 3;
    let backoff = this.options.backoffMs ?? 50;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(url, token, blockIds);
      } catch (e) {
        if (!(e instanceof RetryableError) || attempt >= retries) {
          throw new CinderError("FETCH_FAILED", `fetching ${blockIds.length} block(s) from ${url} failed${attempt > 0 ? ` after ${attempt + 1} attempts` : ""}: ${e instanceof Error ? e.message : String(e)}`,
            { details: { url, blocks: blockIds.length, attempts: attempt + 1 }, cause: e });
        }
        await new Promise((r) => setTimeout(r, backoff));
        backoff *= 2;
      }
    }
  }

  private async attempt(url: string, token: string, blockIds: readonly string[]): Promise<(Batch[] | null)[]> {
    const release = await this.slots.take();
    const controller = new AbortController();
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method: "POST", signal: controller.signal,
          headers: { [TOKEN_HEADER]: `Bearer ${token}`, "content-type": "application/octet-stream" },
          body: encodeMessage({ blockIds }) as Uint8Array<ArrayBuffer>,
        });
      } catch (e) {
        throw new RetryableError(controller.signal.aborted ? String(controller.signal.reason) : `the request failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (response.status >= 500) throw new RetryableError(`the executor answered ${response.status}: ${await response.text().catch(() => "")}`);
      if (!response.ok) throw new Error(`the executor answered ${response.status}: ${await response.text().catch(() => "")}`);
      if (!response.body) throw new RetryableError("the answer has no body");
      try {
        return await readBlockFrames(response.body, blockIds.length);
      } catch (e) {
        if (e instanceof DamagedReplyError) throw new RetryableError(e.message);
        // The body stopped arriving: cut off, or aborted by the timeout.
        throw new RetryableError(controller.signal.aborted ? String(controller.signal.reason) : `the body was cut off: ${e instanceof Error ? e.message : String(e)}`);
      }
    } finally {
      clearTimeout(timer);
      release();
    }
  }
}
