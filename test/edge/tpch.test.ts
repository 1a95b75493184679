/**
 * All 22 TPC-H queries across three edge executors on 127.0.0.1 — Node,
 * workerd (through Miniflare) and Node — each equal to DuckDB's result on
 * the same Parquet data. Shuffle blocks move between the executors by HTTP
 * fetch, workerd's among them.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { loadTpch } from "../support/tpch/generate.ts";
import { TPCH_QUERIES } from "../support/tpch/queries.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { startEdgeCluster } from "./support/edge-cluster.ts";
import type { EdgeCluster } from "./support/edge-cluster.ts";

const SF = 0.01;

describe(`TPC-H at scale factor ${SF} on three edge executors (Node, workerd, Node)`, { timeout: 300_000 }, () => {
  const session = new Session({ "shuffle.partitions": 4 });
  let edge: EdgeCluster;
  let log: EventLog;
  before(async () => {
    await loadTpch(session, SF, 3);
    edge = await startEdgeCluster(3, "mixed");
    session.backend = edge.cluster.backend();
    log = new EventLog(edge.cluster.bus);
  });
  after(async () => { await edge?.cluster.stop(); });

  for (const q of TPCH_QUERIES) {
    it(`Q${q.id} equals DuckDB`, async () => {
      const expected = await duckRows(q.sql);
      assert.ok(expected.length > 0, `Q${q.id} returns no rows on the generated data`);
      const actual = await session.sql(q.sql).collectArrays();
      assertRowsEqual(actual, expected, { ordered: q.ordered, message: `Q${q.id}` });
    });
  }

  it("ran tasks on every executor, workerd's included, and read shuffle blocks across them", () => {
    assert.deepEqual(edge.executors.map((e) => e.runtime), ["node", "workerd", "node"]);
    const ran = new Set(log.of("TaskEnd").filter((e) => e.result === "success").map((e) => e.executorId));
    for (const e of edge.executors) assert.ok(ran.has(e.id), `executor ${e.id} (${e.runtime}) ran tasks`);
    const workerd = edge.executors.find((e) => e.runtime === "workerd")!;
    const readOnWorkerd = log.of("TaskEnd").filter((e) => e.executorId === workerd.id).reduce((n, e) => n + (e.metrics?.shuffleBytesRead ?? 0), 0);
    assert.ok(readOnWorkerd > 0, "the workerd executor read shuffle blocks");
  });
});
