/**
 * `rdd.cache()` / `persist()` / `unpersist()`, as Spark's: the next action
 * computes the partitions once and later actions (and RDDs made from the
 * cached one, even before the call) read them, locally and on a cluster, where a lost executor's
 * cached partitions are recomputed from the lineage; answers equal the
 * uncached RDD's; `unpersist()` makes actions recompute.
 */
import { describe, it, after, before } from "node:test";
import assert from "node:assert/strict";
import { Session } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";

const LINES = Array.from({ length: 3000 }, (_, i) => `w${i % 37} w${i % 11} x${i % 5}`);

describe("RDD cache", () => {
  let cluster: Cluster, log: EventLog;
  before(async () => {
    cluster = await Cluster.start({ executors: 2, kind: "in-process" });
    log = new EventLog(cluster.bus);
  });
  after(async () => { await cluster.stop(); });

  const words = (session: Session) => session.parallelize(LINES, 4).flatMap((l) => l.split(" ")).map((w): [string, number] => [w, 1]);
  const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it("computes a cached RDD once on the local backend, for every later action and derived RDD", async () => {
    const session = new Session({ "shuffle.partitions": 3 });
    const expected = { count: await words(session).count(), counts: sorted(await words(session).reduceByKey((a, b) => a + b).collect()) };
    const cached = words(session).cache();
    assert.equal(cached.isCached, true);
    assert.equal(await cached.count(), expected.count);
    assert.deepEqual(sorted(await cached.reduceByKey((a, b) => a + b).collect()), expected.counts);
    assert.deepEqual((await cached.take(2)).length, 2);
    assert.deepEqual(session.cacheManager.storageInfo().map((s) => s.materializations), [1]);
    await cached.unpersist();
    assert.equal(cached.isCached, false);
    assert.deepEqual(session.cacheManager.storageInfo(), []);
    assert.equal(await cached.count(), expected.count);
  });

  it("is read by RDDs made from the cached one before cache() was called, as in Spark", async () => {
    const session = new Session({ "shuffle.partitions": 3 });
    const expected = sorted(await words(session).reduceByKey((a, b) => a + b).collect());
    const base = words(session);
    const derived = base.reduceByKey((a, b) => a + b);
    base.cache();
    assert.deepEqual(sorted(await derived.collect()), expected);
    assert.equal(await base.count(), LINES.length * 3);
    assert.deepEqual(session.cacheManager.storageInfo().map((s) => s.materializations), [1]);
    await base.unpersist();
  });

  it("keeps partitions on a cluster's executors, and recomputes an executor's lost ones", async () => {
    const session = new Session({ "shuffle.partitions": 3 });
    const expected = sorted(await words(session).reduceByKey((a, b) => a + b).collect());
    session.backend = cluster.backend();
    const cached = words(session).cache();
    log.clear();
    assert.equal(await cached.count(), LINES.length * 3);
    const jobsFirst = log.of("JobStart").length;
    log.clear();
    assert.deepEqual(sorted(await cached.reduceByKey((a, b) => a + b).collect()), expected);
    assert.equal(log.of("JobStart").length, 1, "the second action runs one job: the cached partitions are not recomputed");
    assert.ok(jobsFirst >= 2, "the first action computed the partitions in a job of their own");
    // Lose an executor that holds cached partitions: the next action still answers right.
    const holder = log.of("TaskEnd").find((t) => t.result === "success")!.executorId;
    cluster.kill(holder, "test: lost with its cached partitions");
    log.clear();
    assert.deepEqual(sorted(await cached.reduceByKey((a, b) => a + b).collect()), expected);
    assert.ok(log.of("TaskEnd").every((t) => t.executorId !== holder));
    await cached.unpersist();
  });
});
