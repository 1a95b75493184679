/**
 * The body of a batch block fetch (`POST /v1/blocks/fetch`): the blocks
 * asked for, each as the Arrow IPC streams of its batches (see
 * exec/block-ipc.ts), each stream framed with its length and SHA-1. The
 * server encodes and digests one batch while the previous one is on the
 * wire, so neither cost waits for the whole reply; the client checks every
 * stream and that the reply ends with its end marker, so a body cut off
 * half-way or corrupted is caught and the fetch retried.
 *
 * Layout (little-endian, every part a multiple of 8 bytes so decoded
 * vectors are aligned views):
 *   reply  := block* END
 *   block  := u32 streams (0xFFFFFFFF: not held), u32 0, stream*
 *   stream := u32 length, u32 0, 20-byte SHA-1, u32 0, bytes, padding to 8
 *   END    := u32 0xFFFFFFFE, u32 0
 */
import type { Batch } from "../../exec/column-vector.ts";
import { decodeBlock, encodeBlock } from "../../exec/block-ipc.ts";

const MISSING = 0xffffffff;
const END = 0xfffffffe;
const STREAM_HEADER = 32;

const pad8 = (n: number) => (n + 7) & ~7;

function word(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

async function sha1(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>));
}

/** The reply for `blocks` (null: not held), produced lazily as the socket takes it. */
export function blockFrames(blocks: readonly (readonly Batch[] | null)[]): ReadableStream<Uint8Array> {
  async function* frames(): AsyncGenerator<Uint8Array> {
    for (const block of blocks) {
      if (!block) { yield word(MISSING); continue; }
      yield word(block.length);
      for (const batch of block) {
        const bytes = encodeBlock([batch]);
        const header = new Uint8Array(STREAM_HEADER);
        new DataView(header.buffer).setUint32(0, bytes.length, true);
        header.set(await sha1(bytes), 8);
        yield header;
        yield bytes;
        const gap = pad8(bytes.length) - bytes.length;
        if (gap) yield new Uint8Array(gap);
      }
    }
    yield word(END);
  }
  const it = frames();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close(); else controller.enqueue(next.value);
    },
    async cancel() { await it.return(undefined); },
  });
}

/** Why a reply cannot be read (cut off, corrupted): worth fetching again. */
export class DamagedReplyError extends Error {}

/** Bytes of a body as it arrives; `take(n)` gives the next `n` in a fresh (aligned) buffer. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private queued = 0;
  private done = false;
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  async take(n: number): Promise<Uint8Array> {
    while (this.queued < n && !this.done) {
      const next = await this.reader.read();
      if (next.done) this.done = true;
      else { this.chunks.push(next.value); this.queued += next.value.length; }
    }
    if (this.queued < n) throw new DamagedReplyError(`the reply was cut off (${this.queued} of ${n} bytes of a frame arrived)`);
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k);
    }
    this.queued -= n;
    return out;
  }
}

/**
 * The `count` blocks of a reply read from its body as it arrives: each
 * batch's digest starts as soon as its bytes are in, so checking overlaps
 * the transfer. Throws DamagedReplyError for a cut-off or corrupted reply.
 */
export async function readBlockFrames(body: ReadableStream<Uint8Array>, count: number): Promise<(Batch[] | null)[]> {
  const queue = new ByteQueue(body.getReader());
  const u32 = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
  const streams: { block: number; bytes: Uint8Array; expected: Uint8Array; actual: Promise<Uint8Array> }[] = [];
  const held: boolean[] = [];
  for (let b = 0; b < count; b++) {
    const n = u32(await queue.take(8));
    held.push(n !== MISSING);
    if (n === MISSING) continue;
    for (let s = 0; s < n; s++) {
      const header = await queue.take(STREAM_HEADER);
      const length = u32(header);
      const padded = await queue.take(pad8(length));
      const bytes = padded.subarray(0, length);
      streams.push({ block: b, bytes, expected: header.subarray(8, 28), actual: sha1(bytes) });
    }
  }
  if (u32(await queue.take(8)) !== END) throw new DamagedReplyError("the reply does not end where its frames say");
  const digests = await Promise.all(streams.map((s) => s.actual));
  streams.forEach((s, k) => {
    if (!digests[k]!.every((x, i) => x === s.expected[i])) throw new DamagedReplyError(`a batch of block ${s.block} failed its checksum`);
  });
  const out: (Batch[] | null)[] = held.map((h) => (h ? [] : null));
  for (const s of streams) out[s.block]!.push(...decodeBlock(s.bytes));
  return out;
}
