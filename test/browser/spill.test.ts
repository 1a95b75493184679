/**
 * A sort that spills in Chromium: with 2 MB of execution memory for ~9 MB
 * of rows it writes sorted runs to the origin private file system (OPFS)
 * and merges them, in the page and on Web Worker executors, and the rows
 * come out exactly as the same sort gives them with memory to spare.
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
