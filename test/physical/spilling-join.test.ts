/**
 * A shuffled hash join whose build side is over its task's execution
 * memory: both sides are split by key into the spill store and joined a
 * partition at a time (grace hash join), giving DuckDB's rows for inner,
 * left, full outer and anti joins on the same Parquet, NULL keys included.
 * With no spill store the join fails with RESOURCES_EXHAUSTED.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, CinderError } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

// ~4 MB of build side (120K rows with strings) for a 2 MB share.
const LEFT = "SELECT CASE WHEN i % 17 = 0 THEN NULL ELSE (i * 7919) % 150000 END AS k, i AS id FROM range(200000) t(i)";
const RIGHT = "SELECT CASE WHEN j % 19 = 0 THEN NULL ELSE j END AS k, 'name-' || j AS name FROM range(120000) t(j)";
const QUERIES = {
  inner: "SELECT l.id, r.name FROM l JOIN r ON l.k = r.k",
  left: "SELECT l.id, r.name FROM l LEFT JOIN r ON l.k = r.k",
  full: "SELECT l.id, r.name, r.k FROM l FULL OUTER JOIN r ON l.k = r.k",
  anti: "SELECT l.id FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.k = l.k)",
};

describe("a hash join that spills", () => {
  const files: Record<string, Uint8Array> = {};
  const expected: Record<string, unknown[][]> = {};
  before(async () => {
    files.l = (await duckToParquet("spill_join_l", LEFT)).bytes;
    files.r = (await duckToParquet("spill_join_r", RIGHT)).bytes;
    await duckRun(`CREATE OR REPLACE VIEW l AS ${LEFT}; CREATE OR REPLACE VIEW r AS ${RIGHT};`);
    for (const [name, sql] of Object.entries(QUERIES)) expected[name] = await duckRows(sql);
  });
  const tight = { "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192, autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 0 } as const;
  const views = async (session: Session) => {
    (await session.read.parquet(files.l!)).createOrReplaceTempView("l");
    (await session.read.parquet(files.r!)).createOrReplaceTempView("r");
  };

  for (const name of Object.keys(QUERIES) as (keyof typeof QUERIES)[]) {
    it(`${name} join in process: DuckDB's rows`, async () => {
      const session = new Session(tight);
      await views(session);
      assertRowsEqual(await session.sql(QUERIES[name]).collectArrays(), expected[name]!);
    });
  }

  it("on 2 executors the join tasks report their spill", async () => {
    const session = new Session({ ...tight, "shuffle.partitions": 2, "adaptive.enabled": 0 });
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    try {
      await views(session);
      assertRowsEqual(await session.sql(QUERIES.full).collectArrays(), expected.full!);
      assert.ok(log.of("TaskEnd").some((e) => (e.metrics?.spillBytes ?? 0) > 0), "a join task spilled");
    } finally { await cluster.stop(); }
  });

  it("with no spill store the join fails with RESOURCES_EXHAUSTED", async () => {
    const session = new Session({ ...tight, "spill.enabled": 0 });
    await views(session);
    await assert.rejects(session.sql(QUERIES.inner).collectArrays(), (e) => CinderError.is(e) && e.code === "RESOURCES_EXHAUSTED" && /a hash join's build side needs/.test(e.message));
  });
});
