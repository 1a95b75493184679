/**
 * Edge executors on 127.0.0.1, two figures:
 * 1. HTTP shuffle throughput: one edge executor (Node) holds a block of
 *    about 40 MB (2M rows: int32, float64, short strings); the driver's
 *    BlockTransport fetches it (Arrow IPC encoding on the executor, SHA-256
 *    on both sides, decoding here) against a raw `fetch` of the same
 *    number of bytes from a plain node:http server, interleaved.
 * 2. TPC-H queries at SF 0.1 on 1 vs 3 edge executors (Node), and
 *    in-process for reference, answers checked against DuckDB's.
 *
 * Run: `npm run bench -- edge` (ROUNDS=7).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { Session } from "../src/index.ts";
import type { Batch } from "../src/exec/column-vector.ts";
import { utf8FromStrings } from "../src/exec/column-vector.ts";
import { encodeBlock } from "../src/exec/block-ipc.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import { BlockTransport } from "../src/cluster/http/block-transport.ts";
import { JobTokenSigner } from "../src/cluster/http/job-token.ts";
import { encodeMessage } from "../src/cluster/http/wire.ts";
import { startLocalExecutors, stopLocalExecutors } from "../edge/local-executors.ts";
import { loadTpch } from "../test/support/tpch/generate.ts";
import { TPCH_QUERIES } from "../test/support/tpch/queries.ts";
import { duckRows } from "../test/support/duckdb-oracle.ts";
import { interleavedMedians, loadAverages, ratio } from "./support/timing.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const SECRET = "bench-secret";
const ROWS = 2_000_000;

function bigBlock(): Batch[] {
  const batches: Batch[] = [];
  const per = 250_000;
  for (let start = 0; start < ROWS; start += per) {
    batches.push({ numRows: per, columns: [
      { type: { kind: "int32" }, length: per, values: Int32Array.from({ length: per }, (_, i) => (start + i) % 1000), validity: null },
      { type: { kind: "float64" }, length: per, values: Float64Array.from({ length: per }, (_, i) => (start + i) * 0.5), validity: null },
      utf8FromStrings(Array.from({ length: per }, (_, i) => `s${(start + i) % 9973}`)),
    ] });
  }
  return batches;
}

const executors = await startLocalExecutors({ executors: 3, runtime: "node", secret: SECRET });
try {
  // 1. Shuffle throughput.
  const block = bigBlock();
  const signer = await JobTokenSigner.create(SECRET);
  const holder = executors[0]!;
  const token = await signer.sign({ job: "driver", executor: holder.id, exp: Date.now() + 3_600_000 });
  const put = await fetch(new URL("/v1/tables/bench", holder.url), { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: encodeMessage({ partitions: [encodeBlock(block)] }) as Uint8Array<ArrayBuffer> });
  if (!put.ok) throw new Error(`shipping the block failed: ${put.status}`);
  const bytes = encodeBlock(block).length;
  const raw = Buffer.alloc(bytes, 7);
  const server = createServer((_req, res) => { res.writeHead(200, { "content-length": String(raw.length) }); res.end(raw); });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const rawUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const transport = new BlockTransport();
  const t = await interleavedMedians<unknown>(ROUNDS, 2, {
    http: () => transport.fetchBlocks(holder.url, token, ["table_bench_0"]),
    raw: async () => (await fetch(rawUrl)).arrayBuffer(),
  }, (name, result) => {
    if (name === "http") {
      const got = (result as (Batch[] | null)[])[0];
      if (!got || got.reduce((n, b) => n + b.numRows, 0) !== ROWS) throw new Error("the fetched block lost rows");
    }
  });
  server.close();
  const mb = bytes / 1e6;
  console.log(`HTTP block fetch, ${mb.toFixed(1)} MB (${ROWS.toLocaleString("en-US")} rows), median of ${ROUNDS}, load ${loadAverages()}:`);
  console.log(`  Cinder BlockTransport ${t.http!.wall.toFixed(1)} ms (${(mb / t.http!.wall * 1000).toFixed(0)} MB/s); raw fetch ${t.raw!.wall.toFixed(1)} ms (${(mb / t.raw!.wall * 1000).toFixed(0)} MB/s); cinder/raw ${ratio(t.http!.wall, t.raw!.wall)}`);

  // 2. TPC-H on 1 vs 3 edge executors.
  const session = new Session({ "shuffle.partitions": 6 });
  await loadTpch(session, 0.1, 3);
  const one = await Cluster.connect({ executors: [executors[0]!.url], secret: SECRET });
  const three = await Cluster.connect({ executors: executors.map((e) => e.url), secret: SECRET });
  const local = session.backend;
  console.log(`TPC-H SF 0.1, median wall ms of ${ROUNDS} (${availableParallelism()} cores; in-process for reference):`);
  try {
    for (const id of [1, 3, 9, 18]) {
      const q = TPCH_QUERIES.find((x) => x.id === id)!;
      const expected = (await duckRows(q.sql)).length;
      const on = (backend: Session["backend"]) => async () => { session.backend = backend; return session.sql(q.sql).collectArrays(); };
      const m = await interleavedMedians(ROUNDS, 1, { local: on(local), one: on(one.backend()), three: on(three.backend()) }, (name, rows) => {
        if ((rows as unknown[][]).length !== expected) throw new Error(`Q${id} on ${name}: ${(rows as unknown[][]).length} rows, DuckDB has ${expected}`);
      });
      console.log(`  Q${id}: in-process ${m.local!.wall.toFixed(0)}, 1 edge executor ${m.one!.wall.toFixed(0)}, 3 edge executors ${m.three!.wall.toFixed(0)}; 3 vs 1: ${(m.one!.wall / m.three!.wall).toFixed(2)}x`);
    }
  } finally {
    session.backend = local;
    await one.stop();
    await three.stop();
  }
} finally {
  await stopLocalExecutors(executors);
}
