// Executor-side file scans on a cluster: a multi-row-group Parquet file read from a path, over HTTP
// from a loopback range server, and from bytes gives DuckDB's answer with 2 executors; there is one
// scan task per split; the driver fetches no column chunk for sources executors reopen (its own
// byte-source counters stay at the footer); explain("analyze") totals equal the bytes the server
// sent; with a long locality.wait a second job's scan tasks run where their splits were read; and
// a killed executor mid-scan still gives the right answer.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Session, col, sum, count } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import type { CinderEvent } from "../../src/common/events.ts";
import type { DataSource, LogicalPlan } from "../../src/plan/logical-plan.ts";
import { fetchedBytes } from "../../src/io/parquet-footers.ts";
import { MemoryByteSource } from "../../src/io/byte-source.ts";
import type { ByteSource } from "../../src/io/byte-source.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { duckRows, duckRun, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { startRangeServer } from "../io/range-server.ts";
import type { RangeServer } from "../io/range-server.ts";
import { readFileSync } from "node:fs";

const FILE = join(scratchDir, "executor-scans.parquet");
const ROW_GROUP = 10_240, ROWS = 61_440; // six row groups (DuckDB rounds row groups to 2048-row vectors)
const GROUPS = ROWS / ROW_GROUP;

type TaskEnd = Extract<CinderEvent, { type: "TaskEnd" }>;

function sourceOf(df: DataFrame): Extract<DataSource, { kind: "parquet" }> {
  let p: LogicalPlan = df.plan;
  while (p.type !== "Scan") p = (p as { input: LogicalPlan }).input;
  return p.source as Extract<DataSource, { kind: "parquet" }>;
}

/** TaskEnd events of one job's tasks that read a file split on an executor. */
function scanTasks(events: CinderEvent[], from: number): TaskEnd[] {
  return events.slice(from).filter((e): e is TaskEnd => e.type === "TaskEnd" && e.result === "success" && (e.metrics?.scans?.length ?? 0) > 0);
}

const AGG = `SELECT k, sum(v), count(id) FROM read_parquet('${FILE}') WHERE v > 100 GROUP BY k`;
const agg = (df: DataFrame) => df.filter(col("v").gt(100)).groupBy("k").agg(sum("v"), count("id"));

describe("executor-side Parquet scans on a worker-thread cluster", () => {
  let server: RangeServer;
  let cluster: Cluster;
  const events: CinderEvent[] = [];
  before(async () => {
    await duckRun(`COPY (SELECT i AS id, i % 11 AS k, (i * 7) % 1000 AS v, md5(i::VARCHAR) AS s FROM range(${ROWS}) t(i) ORDER BY id)
      TO '${FILE}' (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP})`);
    server = await startRangeServer(FILE);
    cluster = await Cluster.start({ executors: 2, kind: "worker-thread" });
    cluster.bus.on((e) => events.push(e));
  });
  after(async () => { await cluster.stop(); await server.close(); });

  const session = (conf: Record<string, number> = {}) => {
    const s = new Session({ "shuffle.partitions": 2, ...conf });
    s.backend = cluster.backend();
    return s;
  };

  it("reads a path split by split on the executors, one scan task per row group, like DuckDB", async () => {
    const df = await session().read.option("splitBytes", 1).parquet(FILE);
    assert.equal(sourceOf(df).splits?.length, GROUPS);
    const from = events.length;
    assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
    const tasks = scanTasks(events, from);
    assert.equal(tasks.length, GROUPS, "one scan task per split");
    assert.deepEqual(tasks.flatMap((t) => t.metrics!.scans!.flatMap((s) => s.splits)).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
    assert.ok(new Set(tasks.map((t) => t.executorId)).size === 2, "both executors read splits");
  });

  it("over HTTP: the driver fetches footers only, and explain('analyze') totals equal the bytes the server sent", async () => {
    const s = session();
    const df = await s.read.option("splitBytes", 1).parquet(server.url);
    const driverBytes = fetchedBytes(sourceOf(df));
    const served0 = server.bytesServed, requests0 = server.requests.length;
    const text = await agg(df).explain("analyze");
    const served = server.bytesServed - served0, requests = server.requests.length - requests0;
    assert.equal(fetchedBytes(sourceOf(df)), driverBytes, "the driver's own HTTP source fetched nothing more");
    assert.ok(served > driverBytes, `executors fetched ${served} bytes`);
    const scans = s.lastQueryMetrics!.scans;
    assert.equal(scans.length, 1);
    assert.deepEqual([scans[0]!.bytesFetched, scans[0]!.requests, scans[0]!.rowGroupsRead + scans[0]!.rowGroupsSkipped, scans[0]!.rowsRead],
      [served, requests, GROUPS, scans[0]!.rowsRead]);
    assert.match(text, new RegExp(`\\[actual: fetched [^\\]]*\\b${served.toLocaleString("en-US")} bytes\\) in ${requests} requests?, .*read by executors: one task per split, ${GROUPS} splits`));
    assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
  });

  it("with a long locality.wait, a second job's scan tasks run on the executors that read their splits", async () => {
    const df = await session({ "locality.wait": 60_000 }).read.option("splitBytes", 1).parquet(server.url);
    const first = events.length;
    assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
    const holders = new Map(scanTasks(events, first).map((t) => [t.partition, t.executorId]));
    assert.equal(holders.size, GROUPS);
    assert.ok(new Set(holders.values()).size === 2, "the first job spread its splits over both executors");
    // A third executor that holds no split: without the wait it would take some of the scan tasks.
    const idle = await cluster.addExecutor();
    const second = events.length, served0 = server.bytesServed;
    assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
    const again = scanTasks(events, second);
    assert.equal(again.length, GROUPS);
    for (const t of again) assert.equal(t.executorId, holders.get(t.partition), `split ${t.partition} ran on ${t.executorId}, not its holder (idle: ${idle.id})`);
    // Each holder kept the split's footer and chunks: the second job fetched nothing.
    assert.equal(server.bytesServed, served0, "the second job was served from the executors' caches");
    assert.ok(again.every((t) => t.metrics!.scans!.every((s) => s.bytesFetched === 0 && s.requests === 0)));
  });

  it("bytes and Blobs held by the driver are shipped to each executor once, then read there split by split", async () => {
    const shipped: string[] = [];
    const restore = cluster.executors.map((e) => {
      const original = e.putSource!.bind(e);
      e.putSource = (path, data) => { shipped.push(`${e.id} ${path} ${data instanceof Uint8Array ? data.buffer.constructor.name : "Blob"}`); return original(path, data); };
      return () => { e.putSource = original; };
    });
    try {
      const bytes = new Uint8Array(readFileSync(FILE));
      for (const input of [bytes, new Blob([bytes])]) {
        shipped.length = 0;
        const s = session();
        const df = await s.read.option("splitBytes", 1).parquet(input);
        const from = events.length;
        const text = await agg(df).explain("analyze");
        assert.match(text, /read by executors: one task per split, 6 splits \(driver-held input shipped to each executor once\)/);
        assert.equal(scanTasks(events, from).length, GROUPS);
        assert.equal(s.lastQueryMetrics!.scans[0]!.rowGroupsRead + s.lastQueryMetrics!.scans[0]!.rowGroupsSkipped, GROUPS);
        assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
        assert.equal(shipped.length, cluster.executors.length, `shipped once per executor over two jobs: ${shipped.join("; ")}`);
        if (input instanceof Uint8Array) assert.ok(shipped.every((x) => x.endsWith("SharedArrayBuffer")), "bytes move in shared memory");
      }
    } finally { restore.forEach((r) => r()); }
  });

  it("a ByteSource of the caller's own cannot move: the driver reads it, and says so", async () => {
    const s = session();
    const inner = new MemoryByteSource("mine.parquet", new Uint8Array(readFileSync(FILE)));
    // Storage of the caller's own (here a delegating object): it lives in the driver and cannot be cloned into a worker.
    const mine: ByteSource = { name: inner.name, stats: inner.stats, warnings: [], size: () => inner.size(), tail: (n) => inner.tail(n), read: (r, into) => inner.read(r, into) };
    const df = await s.read.option("splitBytes", 1).parquet(mine);
    const from = events.length;
    const text = await agg(df).explain("analyze");
    assert.match(text, /read on the driver and shipped to executors \(source:cinder-\d+\/mine\.parquet is held by the driver and cannot be shipped to these executors\)/);
    assert.equal(scanTasks(events, from).length, 0);
    assert.equal(s.lastQueryMetrics!.scans[0]!.rowGroupsRead + s.lastQueryMetrics!.scans[0]!.rowGroupsSkipped, GROUPS);
    assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
  });

  it("a killed executor mid-scan still gives the right answer", async () => {
    const df = await session().read.option("splitBytes", 1).parquet(FILE);
    const from = events.length;
    let killed = "";
    const off = cluster.bus.on((e) => {
      if (!killed && e.type === "TaskStart" && e.partition >= 2) {
        killed = e.executorId;
        setTimeout(() => cluster.kill(e.executorId, "test kill mid-scan"), 0);
      }
    });
    try {
      assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
    } finally { off(); }
    assert.ok(killed, "an executor was killed");
    assert.ok(events.some((e) => e.type === "ExecutorRemoved" && e.executorId === killed));
    const lost = events.slice(from).filter((e): e is TaskEnd => e.type === "TaskEnd" && e.executorId === killed && e.result !== "success");
    assert.ok(lost.length > 0, "the killed executor had a scan task in flight");
    // Every split was read by a task that succeeded, and the lost one again elsewhere.
    const done = scanTasks(events, from);
    assert.deepEqual([...new Set(done.flatMap((t) => t.metrics!.scans!.flatMap((s) => s.splits)))].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5]);
    assert.ok(lost.every((l) => done.some((t) => t.partition === l.partition && t.executorId !== killed)));
  });
});

describe("executor-side Parquet scans on an in-process cluster", () => {
  it("reads bytes registered on the driver on the executors (they share its memory)", async () => {
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const events: CinderEvent[] = [];
    cluster.bus.on((e) => events.push(e));
    try {
      const s = new Session({ "shuffle.partitions": 2 });
      s.backend = cluster.backend();
      const df = await s.read.option("splitBytes", 1).parquet(new Uint8Array(readFileSync(FILE)));
      assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
      assert.equal(scanTasks(events, 0).length, GROUPS);
      const m = s.lastQueryMetrics!.scans[0]!;
      assert.equal(m.rowGroupsRead + m.rowGroupsSkipped, GROUPS);
      assert.ok(m.bytesFetched > 0);
    } finally { await cluster.stop(); }
  });
});

describe("which path read a scan", () => {
  it("a local run after a cluster run of the same DataFrame no longer says executors read it", async () => {
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    try {
      const s = new Session({ "shuffle.partitions": 2 });
      const localBackend = s.backend;
      s.backend = cluster.backend();
      const df = await s.read.option("splitBytes", 1).parquet(FILE);
      assert.match(await agg(df).explain("analyze"), /read by executors: one task per split, 6 splits\]/);
      s.backend = localBackend;
      assert.doesNotMatch(await agg(df).explain("analyze"), /read by executors|read on the driver/);
      assertRowsEqual(await agg(df).collectArrays(), await duckRows(AGG));
    } finally { await cluster.stop(); }
  });
});
