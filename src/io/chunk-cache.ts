/**
 * The column chunks an executor fetched over HTTP, kept for later jobs
 * (Spark keeps an input split's blocks where they were read; here the
 * compressed chunk bytes). The scheduler prefers the executor that read a
 * split before (SplitTracker), so a repeated query over a remote file is
 * served from this cache instead of the network. Bounded by bytes, least
 * recently used out first; one cache per executor process.
 */
import type { ByteRange, ByteSource, FetchStats } from "./byte-source.ts";

/** Bytes of chunks kept per executor process. */
const MAX_BYTES = 256 * 1024 * 1024;

const chunks = new Map<string, Uint8Array>();
let held = 0;

function keyOf(file: string, r: ByteRange): string {
  return `${file}|${r.start}-${r.end}`;
}

/**
 * `ranges` of `file`, from the cache where held, the rest read from
 * `source` (charged to `into` as usual) and kept.
 */
export async function readCachedChunks(file: string, source: ByteSource, ranges: ByteRange[], into: FetchStats): Promise<Uint8Array[]> {
  const out: (Uint8Array | undefined)[] = ranges.map((r) => {
    const k = keyOf(file, r), hit = chunks.get(k);
    if (hit) { chunks.delete(k); chunks.set(k, hit); }
    return hit;
  });
  const missing = ranges.map((r, i) => ({ r, i })).filter(({ i }) => !out[i]);
  if (missing.length) {
    const read = await source.read(missing.map((m) => m.r), into);
    missing.forEach(({ r, i }, j) => {
      // A copy of just this chunk: the read may be a view into a larger coalesced buffer.
      const bytes = read[j]!.slice();
      out[i] = bytes;
      if (bytes.length > MAX_BYTES / 8) return;
      chunks.set(keyOf(file, r), bytes);
      held += bytes.length;
    });
    while (held > MAX_BYTES) {
      const [k, v] = chunks.entries().next().value!;
      chunks.delete(k);
      held -= v.length;
    }
  }
  return out as Uint8Array[];
}

/** Chunk bytes held now (tests read it). */
export function cachedChunkBytes(): number {
  return held;
}
