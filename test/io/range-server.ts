/**
 * A test HTTP server on 127.0.0.1 (port 0) serving one file, counting the
 * bytes it sends, and behaving like the servers Parquet readers meet in
 * the wild: honouring Range (suffix and explicit), or ignoring it (200 with
 * the whole body), forbidding HEAD (pre-signed URLs), omitting
 * Content-Length.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import { openSync, readSync, closeSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";

export interface RangeServerBehaviour {
  ignoreRange?: boolean;
  forbidHead?: boolean;
  noContentLength?: boolean;
  /** Refuse `bytes=-N` with 416, as some object stores do. */
  noSuffixRange?: boolean;
}

export interface RangeServer {
  url: string;
  bytesServed: number;
  requests: string[];
  close(): Promise<void>;
}

function readRange(path: string, start: number, end: number): Buffer {
  const buf = Buffer.alloc(end - start);
  const fd = openSync(path, "r");
  try { readSync(fd, buf, 0, buf.length, start); } finally { closeSync(fd); }
  return buf;
}

export async function startRangeServer(path: string, behaviour: RangeServerBehaviour = {}): Promise<RangeServer> {
  const size = statSync(path).size;
  const state = { bytesServed: 0, requests: [] as string[] };
  const server: Server = createServer((req, res) => {
    const range = req.headers.range;
    state.requests.push(`${req.method} ${range ?? ""}`);
    if (req.method === "HEAD") {
      if (behaviour.forbidHead) { res.writeHead(403).end(); return; }
      res.writeHead(200, behaviour.noContentLength ? {} : { "Content-Length": String(size), "Accept-Ranges": "bytes" }).end();
      return;
    }
    const m = range && !behaviour.ignoreRange ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (!m) {
      // The whole file, streamed so a reader that cancels early is not charged for all of it.
      res.writeHead(200, behaviour.noContentLength ? {} : { "Content-Length": String(size) });
      let at = 0;
      const pump = (): void => {
        while (at < size) {
          const chunk = readRange(path, at, Math.min(size, at + 65536));
          at += chunk.length;
          state.bytesServed += chunk.length;
          if (!res.write(chunk)) { res.once("drain", pump); return; }
        }
        res.end();
      };
      res.on("close", () => { at = size; });
      pump();
      return;
    }
    let start: number, end: number;
    if (m[1] === "") {
      if (behaviour.noSuffixRange) { res.writeHead(416).end(); return; }
      start = Math.max(0, size - Number(m[2])); end = size;
    } else {
      start = Number(m[1]); end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
    }
    const body = readRange(path, start, end);
    state.bytesServed += body.length;
    const headers: Record<string, string> = { "Content-Range": `bytes ${start}-${end - 1}/${size}` };
    if (!behaviour.noContentLength) headers["Content-Length"] = String(body.length);
    res.writeHead(206, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/data.parquet`,
    get bytesServed() { return state.bytesServed; },
    get requests() { return state.requests; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
