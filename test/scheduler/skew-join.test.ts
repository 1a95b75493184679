/**
 * Spark's OptimizeSkewedJoin on a cluster: a join partition far larger than
 * its side's median runs as several tasks, each reading a run of that
 * partition's map outputs and the whole matching partition of the other side.
 * Answers equal DuckDB's for inner, left outer (split on the left), right
 * outer and full outer joins (never split on the skewed left), both sides
 * skewed (every pair of runs), and a join whose grouping runs in the same
 * stage (left whole); the split tasks read less than the one task did, and
 * `adaptive.skewJoin.enabled = 0` keeps one task; an executor lost during
 * the split stage still leaves the right answer.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { splitSkewedPartitions } from "../../src/scheduler/skew-join.ts";
import { duckRows, duckRun, duckToParquet } from "../support/duckdb-oracle.ts";
import { dataFrameFromParquet } from "../support/datasets.ts";
import { assertRowsEqual } from "../support/compare.ts";

const TABLES: Record<string, [sql: string, partitions: number]> = {
  // 70% of the rows have k = 7; keys 150..199 have no match in small.
  big: [`SELECT i::INTEGER AS id, CASE WHEN i % 10 < 7 THEN 7 ELSE (i * 7919 % 200) END::INTEGER AS k, (i % 1000) / 10.0 AS v FROM range(40000) t(i)`, 8],
  // Ten rows a key for keys 0..149, and a NULL key.
  small: [`SELECT CASE WHEN i = 0 THEN NULL ELSE i % 150 END::INTEGER AS k, i::DOUBLE AS w FROM range(1500) t(i)`, 4],
  // Skewed on the same key as big: half its rows have k = 7.
  other: [`SELECT CASE WHEN i % 2 = 0 THEN 7 ELSE i % 120 END::INTEGER AS k, (i % 13)::DOUBLE AS u FROM range(6000) t(i)`, 6],
};

describe("adaptive skew join", () => {
  const session = new Session({
    "shuffle.partitions": 8, autoBroadcastJoinThreshold: 0,
    "adaptive.advisoryPartitionSizeInBytes": 16 * 1024, "adaptive.skewJoin.skewedPartitionThresholdInBytes": 1024,
  });
  let cluster: Cluster, log: EventLog;
  before(async () => {
    for (const [name, [sql, partitions]] of Object.entries(TABLES)) {
      const { path, bytes } = await duckToParquet(name, sql);
      await duckRun(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${path}')`);
      dataFrameFromParquet(session, bytes, partitions).createOrReplaceTempView(name);
    }
    cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
  });
  after(async () => { await cluster.stop(); });

  /** Runs `sql` on the cluster and checks it against DuckDB; returns the stage that joined. */
  async function check(sql: string) {
    log.clear();
    const rows = await session.sql(sql).collectArrays();
    assertRowsEqual(rows, await duckRows(sql));
    const joinStage = log.of("StageSubmitted").find((e) => e.parentIds.length === 2)!;
    assert.ok(joinStage, "a stage reads both join sides");
    const tasks = log.of("TaskEnd").filter((e) => e.stageId === joinStage.stageId && e.result === "success");
    return { stage: joinStage, maxRead: Math.max(...tasks.map((t) => t.metrics!.shuffleBytesRead)), tasks: tasks.length };
  }

  // Grouped by something other than the join key, so the join stage aggregates partially and a shuffle follows.
  const grouped = (join: string) => `SELECT b.id % 5 AS g, count(*), count(s.k), sum(v), sum(w) FROM big b ${join} small s ON b.k = s.k GROUP BY b.id % 5`;

  it("splits the skewed partition of an inner join into tasks over runs of its map outputs", async () => {
    const split = await check(grouped("JOIN"));
    const skewed = split.stage.skewedPartitions ?? [];
    assert.equal(skewed.length, 1, JSON.stringify(split.stage));
    assert.ok(skewed[0]!.splits >= 2 && skewed[0]!.splits <= 8, `${skewed[0]!.splits} splits`);
    assert.equal(split.tasks, split.stage.numTasks);
    session.conf.set("adaptive.skewJoin.enabled", 0);
    try {
      const whole = await check(grouped("JOIN"));
      assert.equal(whole.stage.skewedPartitions, undefined);
      assert.ok(split.maxRead < whole.maxRead, `largest task read ${split.maxRead} bytes split, ${whole.maxRead} whole`);
    } finally { session.conf.set("adaptive.skewJoin.enabled", 1); }
  });

  it("splits a left outer join's skewed left side, keeping its unmatched rows", async () => {
    const { stage } = await check(grouped("LEFT JOIN"));
    assert.ok((stage.skewedPartitions?.[0]?.splits ?? 0) >= 2, JSON.stringify(stage));
  });

  it("never splits the skewed left side of a right or full outer join", async () => {
    for (const join of ["RIGHT JOIN", "FULL JOIN"]) {
      const { stage } = await check(grouped(join));
      assert.equal(stage.skewedPartitions, undefined, join);
    }
  });

  it("joins every pair of runs when both sides are skewed on the same key", async () => {
    const { stage } = await check("SELECT o.u, count(*), sum(v * u) FROM big b JOIN other o ON b.k = o.k GROUP BY o.u");
    const splits = stage.skewedPartitions?.[0]?.splits ?? 0;
    assert.ok(splits >= 4, `${splits} tasks for the skewed partition`);
  });

  it("leaves whole a join stage that also groups by the join key (the grouping needs whole partitions)", async () => {
    const { stage } = await check("SELECT k, count(*), sum(v + w) FROM big JOIN small USING (k) GROUP BY k");
    assert.equal(stage.skewedPartitions, undefined);
  });

  it("still answers right when an executor is lost in the middle of the split stage", async () => {
    const sql = grouped("JOIN");
    const lossCluster = await Cluster.start({ executors: 2, kind: "in-process" });
    const lossLog = new EventLog(lossCluster.bus);
    session.backend = lossCluster.backend();
    let killed = "";
    const off = lossCluster.bus.on((e) => {
      if (killed || e.type !== "TaskEnd" || e.result !== "success") return;
      const split = lossLog.of("StageSubmitted").find((s) => s.stageId === e.stageId && s.skewedPartitions !== undefined);
      if (split) { killed = e.executorId; lossCluster.kill(killed, "test: killed during the split join stage"); }
    });
    try {
      assertRowsEqual(await session.sql(sql).collectArrays(), await duckRows(sql), { message: "after a loss" });
      assert.ok(killed, "an executor was killed during the split stage");
      const split = lossLog.of("StageSubmitted").find((s) => s.skewedPartitions !== undefined)!;
      const reruns = lossLog.of("StageSubmitted").filter((s) => s.stageId === split.stageId && s.attempt > 0);
      assert.ok(reruns.every((r) => r.partitions.every((p) => p < split.numTasks)), "reruns use the split task numbers");
    } finally { off(); session.backend = cluster.backend(); await lossCluster.stop(); }
  });

  it("splits by map outputs into runs of about the target size, pairing runs when both sides are skewed", () => {
    const sides = { left: 1, right: 2 };
    const bytes: Record<number, number[][]> = { 1: [[10, 10, 10, 10], [400, 300, 200, 100], [10, 10, 10, 10]], 2: [[5, 5], [300, 300], [5, 5]] };
    const { specs, skewed } = splitSkewedPartitions([[0, 1], [1, 2], [2, 3]], 3, sides,
      (x, r) => bytes[x]![r]!.reduce((a, b) => a + b, 0), (x, r) => bytes[x]![r]!, { factor: 5, thresholdBytes: 100, advisoryBytes: 400 });
    // Left runs of about 400 bytes: [400], [300], [200, 100]; right: [300], [300].
    assert.deepEqual(skewed, [{ partition: 1, splits: 6 }]);
    assert.deepEqual(specs.map((s) => [s.range, s.mapRanges ?? null]), [
      [[0, 1], null],
      [[1, 2], { 1: [0, 1], 2: [0, 1] }], [[1, 2], { 1: [0, 1], 2: [1, 2] }],
      [[1, 2], { 1: [1, 2], 2: [0, 1] }], [[1, 2], { 1: [1, 2], 2: [1, 2] }],
      [[1, 2], { 1: [2, 4], 2: [0, 1] }], [[1, 2], { 1: [2, 4], 2: [1, 2] }],
      [[2, 3], null],
    ]);
  });
});
