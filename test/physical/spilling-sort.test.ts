/**
 * A sort over more data than its task's execution memory: it spills sorted
 * runs to the spill store (a temp directory here, on Node) and merges them,
 * giving exactly DuckDB's order on the same Parquet; the task reports its
 * peak memory (within the budget, plus one batch) and what it spilled. With
 * no spill store (`spill.enabled` 0, as on an edge isolate) the same query
 * fails with RESOURCES_EXHAUSTED naming the setting to change.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { duckRows, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const ROWS = 200_000;
// About 9 MB as Cinder holds it: the 2 MB budget below is well under a quarter of it.
const SOURCE = `SELECT (i * 7919) % 100003 AS k, CASE WHEN i % 11 = 0 THEN NULL ELSE 'v' || (i % 977) END AS s, i AS id, (i % 1000) / 7.0 AS x FROM range(${ROWS}) t(i)`;
const ORDER = "ORDER BY s DESC NULLS LAST, k, id";

describe("a sort that spills", () => {
  let bytes: Uint8Array;
  let expected: unknown[][];
  before(async () => {
    bytes = (await duckToParquet("spill_sort", SOURCE)).bytes;
    expected = await duckRows(`SELECT k, s, id, x FROM (${SOURCE}) ${ORDER}`);
  });
  const load = async (session: Session): Promise<DataFrame> => {
    (await session.read.parquet(bytes)).createOrReplaceTempView("t");
    return session.sql(`SELECT k, s, id, x FROM t ${ORDER}`);
  };

  it("in process: 2 MB of execution memory for ~9 MB of rows gives DuckDB's order", async () => {
    const session = new Session({ "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192 });
    const rows = await (await load(session)).collectArrays();
    assertRowsEqual(rows, expected, { ordered: true });
  });

  it("on 2 executors: each task spills, reports peak memory within its budget and the bytes it wrote", async () => {
    const session = new Session({ "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192, "shuffle.partitions": 2 });
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    try {
      const rows = await (await load(session)).collectArrays();
      assertRowsEqual(rows, expected, { ordered: true });
      const sorts = log.of("TaskEnd").filter((e) => (e.metrics?.spillBytes ?? 0) > 0);
      assert.ok(sorts.length >= 1, "the sort tasks spilled");
      for (const e of sorts) {
        assert.ok(e.metrics!.spillFiles! >= 2, `several runs (${e.metrics!.spillFiles})`);
        // Its share: 2 MB over the tasks running on the executor, plus the one batch a sort always holds.
        assert.ok(e.metrics!.peakExecutionMemory! <= 2 * 2 ** 20 + 2 * 8192 * 64, `peak ${e.metrics!.peakExecutionMemory} within the budget`);
      }
    } finally { await cluster.stop(); }
  });

  it("with no spill store the sort fails with RESOURCES_EXHAUSTED naming executor.memory, and the session runs on", async () => {
    const session = new Session({ "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192, "spill.enabled": false });
    await assert.rejects((await load(session)).collectArrays(), (e) => CinderError.is(e) && e.code === "RESOURCES_EXHAUSTED"
      && /a sort needs \d+ more bytes than task 0's share of executor memory .* raise executor\.memory/.test(e.message));
    session.conf.set("executor.memory", "64m");
    assert.equal((await (await load(session)).collectArrays()).length, ROWS);
  });
});
