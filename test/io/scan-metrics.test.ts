// Scan costs a user can see: explain() shows what the footers say a Parquet scan will fetch,
// explain("analyze") and QueryEnd events what it did fetch (checked against a loopback HTTP
// range server's own byte count); count(*) is answered from footers alone; and a scan streams
// one row group at a time (checked with a byte source that records what it was asked for).
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Session, col } from "../../src/index.ts";
import type { CinderEvent } from "../../src/common/events.ts";
import type { ByteRange, ByteSource, FetchStats } from "../../src/io/byte-source.ts";
import { MemoryByteSource } from "../../src/io/byte-source.ts";
import type { DataSource, LogicalPlan } from "../../src/plan/logical-plan.ts";
import { planParquetScan } from "../../src/io/parquet-reader.ts";
import { duckRows, duckRun, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { startRangeServer } from "./range-server.ts";
import type { RangeServer } from "./range-server.ts";

// 400k rows in 20 row groups of 20480 (DuckDB rounds row groups to its 2048-row vectors), sorted on id so statistics prune; strings make the chunks a few hundred KB.
const FILE = join(scratchDir, "scan-metrics.parquet");
const ROW_GROUP = 20_480, ROWS = 400_000;

type ScanPlan = Extract<LogicalPlan, { type: "Scan" }>;
type ParquetSource = Extract<DataSource, { kind: "parquet" }>;

/** The number after `label` in explain text, as written by formatBytes ("1.2 MB (1,234,567 bytes)" or "123 bytes"). */
function bytesAfter(text: string, label: RegExp): number {
  const m = new RegExp(`${label.source}[^\\]]*?([\\d,]+) bytes`).exec(text);
  assert.ok(m, `no byte count after ${label} in:\n${text}`);
  return Number(m[1]!.replace(/,/g, ""));
}

describe("scan metrics in explain and events", () => {
  let server: RangeServer;
  before(async () => {
    await duckRun(`COPY (SELECT i AS id, i % 13 AS k, md5(i::VARCHAR) AS s FROM range(${ROWS}) t(i) ORDER BY id)
      TO '${FILE}' (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP})`);
    server = await startRangeServer(FILE);
  });
  after(async () => { await server.close(); });

  it("explain() shows the row groups statistics prune and the bytes the projected chunks will take", async () => {
    const session = new Session();
    const df = await session.read.parquet(server.url);
    const text = df.filter(col("id").lt(30_000)).select("k").explain(false);
    assert.match(text, /ScanExec parquet:http:\/\/127\.0\.0\.1:\d+\/data\.parquet \[id, k\] PushedFilters: \[\(id#\d+ < 30000\)\]/);
    assert.match(text, /\[planned: row groups 2 of 20 \(18 pruned by statistics\), 4 column chunks, /);
    const scan = df.plan as ScanPlan;
    const plan = planParquetScan(scan.source as ParquetSource, scan.schema, [0, 1], [])!;
    assert.equal(plan.rowGroups, 20);
    assert.equal(plan.columnChunks, 40);
    // Planned bytes for two row groups of two columns: about a tenth of the id+k bytes, well under the file.
    const planned = bytesAfter(text, /column chunks, /);
    assert.ok(planned > 0 && planned < plan.bytesToFetch / 5, `planned ${planned} of ${plan.bytesToFetch}`);
  });

  it("explain('analyze') reports the bytes and requests the server saw, and row groups read and skipped", async () => {
    const session = new Session();
    const events: CinderEvent[] = [];
    session.addListener((e) => events.push(e));
    const df = await session.read.parquet(server.url);
    const q = df.filter(col("id").between(4 * ROW_GROUP, 5 * ROW_GROUP - 1)).select("k");
    const planned = bytesAfter(q.explain(false), /column chunks, /);
    const served0 = server.bytesServed, requests0 = server.requests.length;
    const text = await q.explain("analyze");
    const served = server.bytesServed - served0, requests = server.requests.length - requests0;
    assert.match(text, /^== Physical Plan \(analyzed: 20480 rows in \d+ ms\) ==/);
    assert.match(text, new RegExp(`\\[actual: fetched [^\\]]*\\b${served.toLocaleString("en-US")} bytes\\) in ${requests} requests?, row groups read 1, skipped 19, rows 20,480\\]`));
    // Statistics leave one row group; its two chunks are fetched in one coalesced request, exactly as planned.
    assert.equal(requests, 1);
    assert.equal(served, planned);

    const end = events.filter((e): e is Extract<CinderEvent, { type: "QueryEnd" }> => e.type === "QueryEnd").at(-1)!;
    assert.equal(end.result, "succeeded");
    assert.equal(end.rows, ROW_GROUP);
    assert.deepEqual(end.scans.map((s) => [s.columns, s.bytesFetched, s.requests, s.rowGroupsRead, s.rowGroupsSkipped]), [[["id", "k"], served, requests, 1, 19]]);
    assert.deepEqual(session.lastQueryMetrics?.scans, end.scans);
    assertRowsEqual(await q.collectArrays(), await duckRows(`SELECT k FROM read_parquet('${FILE}') WHERE id BETWEEN ${4 * ROW_GROUP} AND ${5 * ROW_GROUP - 1}`));
  });

  it("answers count(*) from the footers: no column chunk is fetched", async () => {
    const session = new Session();
    const df = await session.read.parquet(server.url);
    assert.match(df.groupBy().count().explain(false), /ScanExec parquet:\S+ \[\] partitions=\d+ \[planned: row groups 20 of 20 \(0 pruned by statistics\), no column chunks to fetch/);
    const served0 = server.bytesServed, requests0 = server.requests.length;
    assert.equal(await df.count(), ROWS);
    assert.equal(server.bytesServed - served0, 0, "count(*) fetched bytes");
    assert.equal(server.requests.length - requests0, 0, "count(*) made requests");
    assert.deepEqual(session.lastQueryMetrics?.scans.map((s) => [s.bytesFetched, s.requests, s.rowGroupsRead, s.rowsRead]), [[0, 0, 20, ROWS]]);
    df.createOrReplaceTempView("t");
    assertRowsEqual(await session.sql("SELECT count(*), count(1) FROM t").collectArrays(), [[ROWS, ROWS]]);
    assert.equal(server.bytesServed - served0, 0);
  });

  it("reports the same scan costs when a cluster runs the job", async () => {
    const session = new Session({ "shuffle.partitions": 2 });
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    try {
      session.backend = cluster.backend();
      const df = await session.read.parquet(server.url);
      const q = df.filter(col("id").between(4 * ROW_GROUP, 5 * ROW_GROUP - 1)).groupBy("k").count();
      const served0 = server.bytesServed;
      const text = await q.explain("analyze");
      const served = server.bytesServed - served0;
      assert.ok(served > 0);
      assert.match(text, new RegExp(`\\[actual: fetched [^\\]]*\\b${served.toLocaleString("en-US")} bytes\\) in 1 request, row groups read 1, skipped 19, rows 20,480; read by executors: one task per split, \\d+ splits?\\]`));
      assertRowsEqual(await q.collectArrays(), await duckRows(`SELECT k, count(*) FROM read_parquet('${FILE}') WHERE id BETWEEN ${4 * ROW_GROUP} AND ${5 * ROW_GROUP - 1} GROUP BY k`));
    } finally { await cluster.stop(); }
  });

  it("says in explain('analyze') when the server ignored Range and the file was downloaded whole", async () => {
    const ignoring = await startRangeServer(FILE, { ignoreRange: true });
    try {
      const session = new Session();
      const df = await session.read.option("allowFullDownload", true).parquet(ignoring.url);
      const opened = ignoring.bytesServed;
      const text = await df.filter(col("id").lt(10)).select("k").explain("analyze");
      assert.match(text, /the server for http:\/\/127\.0\.0\.1:\d+\/data\.parquet ignored Range: the whole file, [\d.]+ MB \([\d,]+ bytes\), was downloaded once when it was opened/);
      assert.match(text, /\[actual: fetched 0 bytes in 0 requests, row groups read 1, skipped 19, rows 20,480;/);
      assert.equal(ignoring.bytesServed, opened, "reads after the download are served from memory");
      assert.equal(bytesAfter(text, /downloaded the whole file \(/), opened);
    } finally { await ignoring.close(); }
  });
});

/** A real in-memory source that records the ranges it is asked for and the bytes outstanding (asked for, not yet returned). */
class RecordingSource implements ByteSource {
  private readonly inner: MemoryByteSource;
  readonly calls: number[] = [];
  outstanding = 0;
  maxOutstanding = 0;
  fetched = 0;
  constructor(readonly name: string, bytes: Uint8Array) { this.inner = new MemoryByteSource(name, bytes); }
  get stats(): FetchStats { return this.inner.stats; }
  get warnings(): string[] { return this.inner.warnings; }
  size(): Promise<number> { return this.inner.size(); }
  tail(n: number): Promise<{ bytes: Uint8Array; size: number }> { return this.inner.tail(n); }
  async read(ranges: ByteRange[], into?: FetchStats): Promise<Uint8Array[]> {
    const n = ranges.reduce((s, r) => s + r.end - r.start, 0);
    this.calls.push(n);
    this.outstanding += n;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    // Yield to the event loop like a disk or network read would, so a reader that ran ahead would show it.
    await new Promise((resolve) => setTimeout(resolve, 1));
    try { return await this.inner.read(ranges, into); } finally { this.outstanding -= n; this.fetched += n; }
  }
}

describe("Parquet scans stream one row group at a time", () => {
  it("fetches at most one row group ahead of the one being consumed (read while the last decodes)", async () => {
    const bytes = new Uint8Array(readFileSync(FILE));
    const source = new RecordingSource("recorded.parquet", bytes);
    const session = new Session();
    // One split holding all 20 row groups: one scan task walks them in order.
    const df = await session.read.option("splitBytes", 1 << 30).option("batchRows", 5_000).parquet(source);
    const scan = df.plan as ScanPlan;
    const parquet = scan.source as ParquetSource;
    assert.equal(parquet.splits?.length, 1);
    const whole = planParquetScan(parquet, scan.schema, null, [])!;
    const perGroup = whole.bytesToFetch / whole.rowGroups;

    let rows = 0, maxAhead = 0;
    for await (const b of session.sources.read(scan.source, scan.schema, null, [], 0)) {
      rows += b.numRows;
      // Row groups the consumer has reached so far (including the one this batch came from).
      const reached = Math.ceil(rows / ROW_GROUP);
      maxAhead = Math.max(maxAhead, source.fetched - (reached + 1) * perGroup * 1.2);
      await new Promise((resolve) => setTimeout(resolve, 0)); // a consumer that takes its time
    }
    assert.equal(rows, ROWS);
    assert.equal(source.calls.length, 20, "one read per row group");
    assert.ok(maxAhead <= 0, `the reader fetched ${maxAhead} bytes beyond the row groups consumed and the next`);
    assert.ok(Math.max(...source.calls) <= perGroup * 1.2, `largest read ${Math.max(...source.calls)} vs ${perGroup} per row group`);
    assert.ok(source.maxOutstanding <= perGroup * 1.2, `at most one row group in flight (max outstanding ${source.maxOutstanding} bytes, ${bytes.length} in the file)`);
    assert.ok(source.maxOutstanding < bytes.length / 10);
  });

  it("stops fetching when a limit is reached: take(5) reads one row group", async () => {
    const source = new RecordingSource("recorded.parquet", new Uint8Array(readFileSync(FILE)));
    const session = new Session();
    const df = await session.read.option("splitBytes", 1 << 30).parquet(source);
    const rows = await df.select("id", "s").take(5);
    assert.deepEqual(rows.map((r) => r.id), [0, 1, 2, 3, 4]);
    assert.equal(source.calls.length, 1);
    assert.deepEqual(session.lastQueryMetrics?.scans.map((s) => [s.rowGroupsRead, s.bytesFetched]), [[1, source.fetched]]);
  });
});
