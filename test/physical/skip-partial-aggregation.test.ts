/**
 * A partial aggregation that barely groups passes its rows through as
 * one-row states once its probe shows more groups per row than
 * `aggregate.skipPartialRatio` (DataFusion's skip_partial_aggregation):
 * every aggregate that can (count, count(*), sum, avg over integers,
 * doubles and decimals, min, max), with NULL keys and NULL values, gives
 * DuckDB's answer through the final step, locally and on a cluster, where
 * the map stage then writes nearly as many rows as it read; a low-cardinality
 * grouping keeps grouping, and an aggregate without one-row states (first)
 * never passes through.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { dataFrameFromParquet } from "../support/datasets.ts";
import { assertRowsEqual } from "../support/compare.ts";

const ROWS = 20_000;
const SQL = `SELECT i::INTEGER AS id,
    CASE WHEN i % 97 = 0 THEN NULL ELSE (i * 7919) % 3000 END::INTEGER AS k,
    CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 31) % 1000 END::INTEGER AS n,
    CASE WHEN i % 11 = 0 THEN NULL ELSE ((i * 104729) % 10000) / 7.0 END::DOUBLE AS v,
    ((i * 7) % 5000 / 4.0)::DECIMAL(12,2) AS p,
    (i % 3)::INTEGER AS small
  FROM range(${ROWS}) t(i)`;

const QUERY = `SELECT k, count(*), count(n), sum(n), sum(v), avg(v), avg(n), sum(p), avg(p), min(v), max(n), min(p) FROM agg GROUP BY k`;

describe("skipping partial aggregation", () => {
  const session = new Session({ "shuffle.partitions": 4, "aggregate.skipPartialProbeRows": 1000 });
  let cluster: Cluster, log: EventLog;
  before(async () => {
    const { path, bytes } = await duckToParquet("agg", SQL);
    await duckRun(`CREATE OR REPLACE TABLE agg AS SELECT * FROM read_parquet('${path}')`);
    dataFrameFromParquet(session, bytes, 3).createOrReplaceTempView("agg");
    cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    log = new EventLog(cluster.bus);
  });
  after(async () => { await cluster.stop(); });

  /** Rows the map stage wrote to its shuffle, on the cluster. */
  async function mapRecordsWritten(sql: string): Promise<number> {
    const local = session.backend;
    session.backend = cluster.backend();
    try {
      log.clear();
      assertRowsEqual(await session.sql(sql).collectArrays(), await duckRows(sql));
    } finally { session.backend = local; }
    const mapStage = log.of("StageSubmitted").find((e) => e.kind === "shuffleMap")!;
    return log.of("TaskEnd").filter((e) => e.stageId === mapStage.stageId).reduce((n, e) => n + e.metrics!.recordsWritten, 0);
  }

  it("passes rows through once the probe shows little grouping, with DuckDB's answers", async () => {
    assertRowsEqual(await session.sql(QUERY).collectArrays(), await duckRows(QUERY));
    // Only the probe's rows (1000 a map task) were grouped first.
    const written = await mapRecordsWritten(QUERY);
    assert.ok(written > ROWS * 0.99 && written <= ROWS, `${written} rows written`);
  });

  it("keeps grouping when the probe shows the rows collapse, or when told never to skip", async () => {
    const few = "SELECT small, count(*), sum(v), min(n) FROM agg GROUP BY small";
    assert.equal(await mapRecordsWritten(few), 9, "three groups from each of three map tasks");
    session.conf.set("aggregate.skipPartialRatio", 1);
    try {
      assertRowsEqual(await session.sql(QUERY).collectArrays(), await duckRows(QUERY));
      assert.ok(await mapRecordsWritten(QUERY) < ROWS * 0.9);
    } finally { session.conf.set("aggregate.skipPartialRatio", 0.5); }
  });

  it("never passes through an aggregate without one-row states", async () => {
    const sql = "SELECT k, count(*), first(id) IS NOT NULL FROM agg GROUP BY k";
    assert.ok(await mapRecordsWritten(sql) < ROWS * 0.9);
  });
});
