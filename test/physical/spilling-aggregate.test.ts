/**
 * A group-by whose table outgrows its task's execution memory: partial
 * aggregation sends its states on early, and the final (or complete)
 * aggregation spills rows by key to the spill store and aggregates each
 * spilled partition alone, giving DuckDB's answer on the same Parquet.
 * With no spill store the final aggregation fails with RESOURCES_EXHAUSTED.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { Session, CinderError } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { duckRows, duckToParquet } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const ROWS = 300_000;
// 100,000 groups at ~150 bytes each is ~15 MB of table: 7x the 2 MB share below.
const SOURCE = `SELECT (i * 7919) % 100000 AS k, CASE WHEN i % 13 = 0 THEN NULL ELSE i % 1000 END AS v, 'g' || (i % 7) AS s FROM range(${ROWS}) t(i)`;
const QUERY = "SELECT k, count(*) AS n, sum(v) AS total, avg(v) AS mean, min(s) AS lo, max(v) AS hi FROM t GROUP BY k";

describe("a group-by that spills", () => {
  let bytes: Uint8Array;
  let expected: unknown[][];
  before(async () => {
    bytes = (await duckToParquet("spill_agg", SOURCE)).bytes;
    expected = await duckRows(QUERY.replace("FROM t", `FROM (${SOURCE})`));
  });
  const load = async (session: Session): Promise<DataFrame> => {
    (await session.read.parquet(bytes)).createOrReplaceTempView("t");
    return session.sql(QUERY);
  };
  const tight = { "executor.memory": "4m", "memory.fraction": 0.5, "batch.size": 8192 } as const;

  it("in process (partial then final aggregation over one partition) gives DuckDB's groups", async () => {
    assertRowsEqual(await (await load(new Session(tight))).collectArrays(), expected);
  });

  it("a complete aggregation (input already partitioned by the key) spills too", async () => {
    const session = new Session(tight);
    (await session.read.parquet(bytes)).repartition(2, "k").createOrReplaceTempView("t");
    assertRowsEqual(await session.sql(QUERY).collectArrays(), expected);
  });

  it("on 2 executors: the final aggregation tasks report what they spilled", async () => {
    const session = new Session({ ...tight, "shuffle.partitions": 2, "adaptive.enabled": 0 });
    const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    try {
      // The file is one split: spread it over 3 partitions, so a partial and a final aggregation run.
      (await session.read.parquet(bytes)).repartition(3).createOrReplaceTempView("t");
      assertRowsEqual(await session.sql(QUERY).collectArrays(), expected);
      const result = log.of("StageSubmitted").find((s) => s.kind === "result")!;
      const spilled = log.of("TaskEnd").filter((e) => e.stageId === result.stageId && (e.metrics?.spillBytes ?? 0) > 0);
      assert.equal(spilled.length, 2, `both final aggregation tasks spilled: ${JSON.stringify(log.of("TaskEnd").map((e) => [e.stageId, e.partition, e.metrics?.spillBytes, e.metrics?.peakExecutionMemory, e.metrics?.recordsRead]))}`);
    } finally { await cluster.stop(); }
  });

  it("with no spill store the final aggregation fails with RESOURCES_EXHAUSTED", async () => {
    const session = new Session({ ...tight, "spill.enabled": 0 });
    await assert.rejects((await load(session)).collectArrays(), (e) => CinderError.is(e) && e.code === "RESOURCES_EXHAUSTED"
      && /aggregation of \d+ groups needs \d+ more bytes .* raise executor\.memory/.test(e.message));
  });
});
