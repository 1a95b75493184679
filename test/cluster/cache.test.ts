/**
 * `df.cache()` / `persist()` / `unpersist()`: on the local backend the
 * computed partitions stay in the session; on a cluster they stay in the
 * executors' BlockManagers as `rdd_<id>_<p>` blocks, later jobs run their
 * tasks on the executor holding the block (within `locality.wait`), a lost
 * block is recomputed from lineage, and unpersist frees the blocks.
 * Results are compared with DuckDB on the same data.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { Session, col, sum, count, max } from "../../src/index.ts";
import type { DataFrame } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import type { ExecutorKind } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

const HOT_SQL = "SELECT * FROM facts WHERE v > 20";
const AGG_SQL = `SELECT k, sum(v), count(*), max(s) FROM (${HOT_SQL}) GROUP BY k`;
const NARROW_SQL = `SELECT id, s FROM (${HOT_SQL}) WHERE g <> 1`;

const aggOf = (hot: DataFrame) => hot.groupBy("k").agg(sum("v"), count("*"), max("s"));
const narrowOf = (hot: DataFrame) => hot.filter(col("g").notEq(1)).select("id", "s");

/** Cached blocks each task stored, in event order: [blockId, executorId]. */
function blocksWritten(log: EventLog): [string, string][] {
  return log.of("TaskEnd").flatMap((e) => (e.metrics?.cachedBlocks ?? []).map((b) => [b, e.executorId] as [string, string]));
}

describe("cache on the local backend", () => {
  const session = new Session({ "shuffle.partitions": 4 });
  let facts: DataFrame;
  before(async () => { ({ facts } = await loadTables(session, ["facts"], 3) as { facts: DataFrame }); });

  it("computes a cached DataFrame's partitions once for two jobs, with DuckDB's results", async () => {
    const hot = facts.filter(col("v").gt(20)).cache();
    assert.equal(hot.isCached, true);
    assertRowsEqual(await aggOf(hot).collectArrays(), await duckRows(AGG_SQL));
    assertRowsEqual(await narrowOf(hot).collectArrays(), await duckRows(NARROW_SQL));
    const info = session.cacheManager.storageInfo();
    assert.equal(info.length, 1);
    assert.equal(info[0]!.materializations, 1, "computed once for both jobs");
    assert.equal(info[0]!.numPartitions, 3);
    assert.equal(info[0]!.rowCount, Number((await duckRows(`SELECT count(*) FROM (${HOT_SQL})`))[0]![0]));
    assert.match(narrowOf(hot).explain(false), /ScanExec.*InMemoryRelation:rdd_\d+/, "explain shows the scan of the cached partitions");
    assert.doesNotMatch(narrowOf(hot).explain(false), /memory:t\d+/, "not the original table");
    await hot.unpersist();
    assert.equal(hot.isCached, false);
    assert.equal(session.cacheManager.storageInfo().length, 0, "unpersist forgets the batches");
    assertRowsEqual(await narrowOf(hot).collectArrays(), await duckRows(NARROW_SQL));
  });
});

describe("cache through SQL", () => {
  it("a query over a temp view of a cached DataFrame reads the cache, as in Spark", async () => {
    const session = new Session({ "shuffle.partitions": 2 });
    const { facts } = await loadTables(session, ["facts"], 3) as { facts: DataFrame };
    const hot = facts.filter(col("v").gt(20)).cache();
    hot.createOrReplaceTempView("hot");
    const sql = "SELECT k, sum(v), count(*), max(s) FROM hot GROUP BY k";
    assert.match(session.sql(sql).explain(false), /ScanExec InMemoryRelation:rdd_\d+/);
    assertRowsEqual(await session.sql(sql).collectArrays(), await duckRows(AGG_SQL));
    assertRowsEqual(await session.sql("SELECT a.k, count(*) FROM hot a JOIN hot b ON a.id = b.id GROUP BY a.k").collectArrays(),
      await duckRows(`SELECT a.k, count(*) FROM (${HOT_SQL}) a JOIN (${HOT_SQL}) b ON a.id = b.id GROUP BY a.k`), { message: "a self-join keeps its two sides apart" });
    assert.equal(session.cacheManager.storageInfo()[0]!.materializations, 1, "computed once");
  });
});

for (const kind of ["in-process", "worker-thread"] as ExecutorKind[]) {
  describe(`cache on a cluster (${kind})`, () => {
    const session = new Session({ "shuffle.partitions": 4 });
    let facts: DataFrame;
    let cluster: Cluster;
    let log: EventLog;
    before(async () => { ({ facts } = await loadTables(session, ["facts"], 3) as { facts: DataFrame }); });
    const start = async (executors: number) => {
      cluster = await Cluster.start({ executors, kind });
      session.backend = cluster.backend();
      log = new EventLog(cluster.bus);
    };
    after(async () => { await cluster?.stop(); });

    it("keeps partitions in executors' BlockManagers, computed once for two jobs; results equal DuckDB's; unpersist frees them", async () => {
      await start(2);
      try {
        const hot = facts.filter(col("v").gt(20)).cache();
        assertRowsEqual(await aggOf(hot).collectArrays(), await duckRows(AGG_SQL));
        assertRowsEqual(await narrowOf(hot).collectArrays(), await duckRows(NARROW_SQL));
        const written = blocksWritten(log);
        const ids = written.map(([b]) => b);
        assert.equal(ids.length, 3, `each of the 3 partitions is computed and stored once: ${JSON.stringify(written)}`);
        assert.equal(new Set(ids).size, 3);
        assert.ok(ids.every((b) => /^rdd_\d+_[0-2]$/.test(b)), `Spark's block names: ${ids}`);
        for (const [blockId, executorId] of written) {
          const holder = cluster.executors.find((e) => e.id === executorId)!;
          assert.ok(await holder.fetchBlock(blockId), `${executorId} holds ${blockId}`);
        }
        await hot.unpersist();
        for (const e of cluster.executors) for (const [blockId] of written) assert.equal(await e.fetchBlock(blockId), null, `${blockId} freed on ${e.id}`);
        log.clear();
        assertRowsEqual(await narrowOf(hot).collectArrays(), await duckRows(NARROW_SQL));
        assert.equal(blocksWritten(log).length, 0, "after unpersist nothing is cached again");
      } finally { await cluster.stop(); }
    });

    it("computes a cached DataFrame once when two queries over it start at the same time", async () => {
      await start(2);
      try {
        const hot = facts.filter(col("v").gt(20)).cache();
        const [agg, narrow] = await Promise.all([aggOf(hot).collectArrays(), narrowOf(hot).collectArrays()]);
        assertRowsEqual(agg, await duckRows(AGG_SQL));
        assertRowsEqual(narrow, await duckRows(NARROW_SQL));
        assert.equal(blocksWritten(log).length, 3, `one persist job for both queries: ${JSON.stringify(blocksWritten(log))}`);
      } finally { await cluster.stop(); }
    });

    it("runs tasks on the executor holding the cached block; with locality.wait=0 a free executor runs them elsewhere", async () => {
      await start(1);
      try {
        const hot = facts.filter(col("v").gt(20)).cache();
        assert.ok((await hot.count()) > 0);
        const holder = cluster.executors[0]!.id;
        assert.ok(blocksWritten(log).every(([, e]) => e === holder));
        await cluster.addExecutor();
        session.conf.set("locality.wait", 60_000);
        log.clear();
        assertRowsEqual(await narrowOf(hot).collectArrays(), await duckRows(NARROW_SQL));
        const starts = log.of("TaskStart");
        assert.equal(starts.length, 3);
        assert.ok(starts.every((e) => e.executorId === holder), `every task ran on ${holder}, the holder: ${JSON.stringify(starts.map((e) => e.executorId))}`);
        session.conf.set("locality.wait", 0);
        log.clear();
        assertRowsEqual(await narrowOf(hot).collectArrays(), await duckRows(NARROW_SQL));
        assert.ok(log.of("TaskStart").some((e) => e.executorId !== holder), "without a wait the idle executor takes a task and fetches the block");
        assert.equal(blocksWritten(log).length, 0, "reading the block elsewhere does not recompute it");
      } finally { session.conf.set("locality.wait", 3000); await cluster.stop(); }
    });

    it("recomputes from lineage only the cached partitions of an executor killed between jobs", async () => {
      await start(2);
      try {
        const hot = facts.filter(col("v").gt(20)).cache();
        assertRowsEqual(await aggOf(hot).collectArrays(), await duckRows(AGG_SQL));
        const before = blocksWritten(log);
        const victim = before[0]![1];
        const lost = before.filter(([, e]) => e === victim).map(([b]) => b).sort();
        cluster.kill(victim, "test: killed holding cached blocks");
        await new Promise((r) => setTimeout(r, 0));
        log.clear();
        assertRowsEqual(await aggOf(hot).collectArrays(), await duckRows(AGG_SQL));
        assert.deepEqual(blocksWritten(log).map(([b]) => b).sort(), lost, "exactly the lost partitions are computed again");
        assert.ok(blocksWritten(log).every(([, e]) => e !== victim));
      } finally { await cluster.stop(); }
    });

    it("recomputes a cached partition lost in the middle of a job by itself, without rerunning the job", async () => {
      await start(2);
      try {
        const hot = facts.filter(col("v").gt(20)).cache();
        assertRowsEqual(await narrowOf(hot).collectArrays(), await duckRows(NARROW_SQL));
        const victim = blocksWritten(log)[0]![1];
        const lost = blocksWritten(log).filter(([, e]) => e === victim).map(([b]) => b).sort();
        log.clear();
        let killed = false;
        const off = cluster.bus.on((e) => { if (!killed && e.type === "TaskStart") { killed = true; cluster.kill(victim, "test: killed mid job"); } });
        try { assertRowsEqual(await aggOf(hot).collectArrays(), await duckRows(AGG_SQL)); } finally { off(); }
        const jobs = log.of("JobEnd");
        assert.ok(jobs.every((e) => e.result === "succeeded"), "no job failed and was rerun");
        const [main, ...recomputes] = log.of("JobStart").map((e) => e.jobId);
        assert.ok(recomputes.length >= 1, "the lost partitions are recomputed by a job of their own");
        assert.deepEqual(blocksWritten(log).map(([b]) => b).sort(), lost, "exactly the lost partitions are computed again, once");
        const done = log.of("TaskEnd").filter((e) => e.jobId === main && e.result === "success");
        const perTask = new Set(done.map((e) => `${e.stageId}/${e.partition}`));
        assert.equal(perTask.size, done.length, "no partition of the running job finished twice");
        assert.ok(log.of("TaskEnd").some((e) => e.jobId === main && e.result === "fetchFailed"), "a task found its cached block gone");
        assert.ok(log.of("ExecutorRemoved").some((e) => e.executorId === victim));
      } finally { await cluster.stop(); }
    });
  });
}
