/**
 * Executor-side Parquet scans in real Chromium: a Web Worker cluster reads
 * a multi-row-group file from a URL (HTTP ranges from inside the workers),
 * from bytes (shipped once in a SharedArrayBuffer) and from a Blob
 * (structured-cloned into the workers), one scan task per split, with the
 * same answers as the fixture's closed-form values.
 */
import { expect } from "./expect.ts";
import { Session, col } from "../../src/index.ts";
import type { CinderEvent } from "../../src/common/events.ts";
import { Cluster } from "../../src/cluster/cluster.ts";

// test/browser/fixtures/sample.parquet: 5000 rows in 3 row groups (DuckDB rounds row groups to 2048-row vectors); id 0..4999, v = id * 0.5.
const FIXTURE = "/test/browser/fixtures/sample.parquet";
const GROUPS = 3;

function expectedSumV(from: number, to: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += i * 0.5;
  return s;
}

describe("executor-side Parquet scans on Web Workers", () => {
  let cluster: Cluster;
  const events: CinderEvent[] = [];
  before(async () => {
    cluster = await Cluster.start({ executors: 2, kind: "web-worker" });
    cluster.bus.on((e) => { events.push(e); });
  });
  after(async () => { await cluster.stop(); });

  const inputs = async (): Promise<[string, string | Uint8Array | Blob][]> => {
    const bytes = new Uint8Array(await (await fetch(FIXTURE)).arrayBuffer());
    return [["url", new URL(FIXTURE, location.href).href], ["bytes", bytes], ["blob", new Blob([bytes as Uint8Array<ArrayBuffer>])]];
  };

  it("reads a URL, bytes and a Blob split by split in the workers", async () => {
    for (const [what, input] of await inputs()) {
      const session = new Session({ "shuffle.partitions": 2 });
      session.backend = cluster.backend();
      const df = await session.read.option("splitBytes", 1).parquet(input);
      const from = events.length;
      const q = df.filter(col("id").geq(500)).groupBy().agg({ v: "sum" });
      const text = await q.explain("analyze");
      expect([what, /read by executors: one task per split, 3 splits/.test(text) ? "ok" : text]).toEqual([what, "ok"]);
      const scanTasks = events.slice(from).filter((e) => e.type === "TaskEnd" && e.result === "success" && (e.metrics?.scans?.length ?? 0) > 0);
      expect([what, scanTasks.length]).toEqual([what, GROUPS]);
      expect([what, (await q.collectArrays())[0]![0]]).toEqual([what, expectedSumV(500, 4999)]);
      const scan = session.lastQueryMetrics!.scans[0]!;
      expect([what, scan.rowGroupsRead + scan.rowGroupsSkipped]).toEqual([what, GROUPS]);
    }
  });
});
