/**
 * Spilling in Chromium: with 2 MB of execution memory a sort of ~9 MB of
 * rows writes sorted runs to the origin private file system (OPFS) and
 * merges them, a group-by spills its groups by key, and a hash join both
 * sides, in the page and on Web Worker executors; the rows come out
 * exactly as the same queries give them with memory to spare.
 */
import { expect } from "./expect.ts";
import { Session } from "../../src/api/session.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";

const QUERY = `SELECT k, s, id FROM (
  SELECT (id * 7919) % 100003 AS k, CASE WHEN id % 11 = 0 THEN NULL ELSE concat('v', CAST(id % 977 AS STRING)) END AS s, id FROM t
) ORDER BY s DESC NULLS LAST, k, id`;

async function sorted(session: Session): Promise<unknown[][]> {
  session.range(0, 200_000, 1, 2).createOrReplaceTempView("t");
  return session.sql(QUERY).collectArrays();
}

describe("a sort that spills to OPFS", function () {
  this.timeout(120_000);
  let expected: unknown[][] = [];
  before(async () => { expected = await sorted(new Session({ "executor.memory": "1g" })); });

  it("in the page: the spilled sort gives the in-memory sort's rows", async () => {
    const rows = await sorted(new Session({ "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192 }));
    expect(rows.length).toBe(expected.length);
    expect(JSON.stringify(rows) === JSON.stringify(expected)).toBe(true);
  });

  it("on 2 Web Worker executors: tasks report the runs they spilled", async () => {
    const session = new Session({ "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192, "shuffle.partitions": 2 });
    const cluster = await Cluster.start({ executors: 2, kind: "web-worker" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    try {
      const rows = await sorted(session);
      expect(JSON.stringify(rows) === JSON.stringify(expected)).toBe(true);
      const spilled = log.of("TaskEnd").filter((e) => (e.metrics?.spillBytes ?? 0) > 0);
      expect(spilled.length > 0).toBe(true);
      expect(spilled.every((e) => (e.metrics?.spillFiles ?? 0) >= 2)).toBe(true);
    } finally { await cluster.stop(); }
  });
});

describe("a group-by and a hash join that spill to OPFS", function () {
  this.timeout(120_000);
  const GROUP = "SELECT (id * 7919) % 100000 AS k, count(*) AS n, sum(id % 1000) AS total, min(concat('g', CAST(id % 7 AS STRING))) AS lo FROM t GROUP BY 1 ORDER BY 1";
  const JOIN = `SELECT a.id, b.id AS other FROM t a FULL OUTER JOIN (SELECT id * 3 AS k, id FROM t WHERE id < 120000) b ON a.id = b.k ORDER BY a.id NULLS FIRST, other`;
  const run = async (session: Session, sql: string) => { session.range(0, 300_000, 1, 2).createOrReplaceTempView("t"); return session.sql(sql).collectArrays(); };
  const roomy = { "executor.memory": "1g", autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 0 } as const;
  const tight = { "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192, autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 0 } as const;

  for (const [name, sql] of [["group-by", GROUP], ["full outer hash join", JOIN]] as const) {
    it(`${name} in the page gives the in-memory rows`, async () => {
      const expected = await run(new Session(roomy), sql);
      const rows = await run(new Session(tight), sql);
      expect(rows.length).toBe(expected.length);
      expect(JSON.stringify(rows) === JSON.stringify(expected)).toBe(true);
    });
  }

  it("on 2 Web Worker executors the group-by's and the join's tasks spill", async () => {
    const session = new Session({ ...tight, "shuffle.partitions": 2, "adaptive.enabled": 0 });
    const cluster = await Cluster.start({ executors: 2, kind: "web-worker" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    try {
      for (const sql of [GROUP, JOIN]) {
        const expected = await run(new Session(roomy), sql);
        const before = log.of("TaskEnd").length;
        expect(JSON.stringify(await run(session, sql)) === JSON.stringify(expected)).toBe(true);
        expect(log.of("TaskEnd").slice(before).some((e) => (e.metrics?.spillBytes ?? 0) > 0)).toBe(true);
      }
    } finally { await cluster.stop(); }
  });
});

describe("a shuffle write that spills to OPFS", function () {
  this.timeout(120_000);
  it("on 2 Web Worker executors: map tasks spill runs, reducers read them back from both workers, the rows are all there", async () => {
    const session = new Session({ "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192, "adaptive.enabled": 0 });
    const cluster = await Cluster.start({ executors: 2, kind: "web-worker" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    try {
      const df = session.range(0, 300_000, 1, 2).selectExpr("id", "(id * 7919) % 100003 AS k", "concat('v', CAST(id % 977 AS STRING)) AS s").repartition(4, "k");
      const rows = await df.collectArrays();
      const ids = rows.map((r) => Number(r[0])).sort((a, b) => a - b);
      expect(ids.length).toBe(300_000);
      expect(ids.every((v, i) => v === i)).toBe(true);
      const maps = log.of("TaskEnd").filter((e) => (e.metrics?.shuffleBytesWritten ?? 0) > 0);
      expect(maps.some((e) => (e.metrics?.spillFiles ?? 0) >= 2)).toBe(true);
      const beats = await Promise.all(cluster.executors.map((e) => e.heartbeat()));
      expect(beats.every((b) => (b.diskBlocks ?? 0) === 0)).toBe(true);
    } finally { await cluster.stop(); }
  });
});
