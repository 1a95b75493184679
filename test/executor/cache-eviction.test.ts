/**
 * Cached blocks live in storage memory: caching a second DataFrame that
 * does not fit beside the first evicts the first's least recently used
 * blocks, and reading the first again recomputes exactly those partitions
 * from lineage (MEMORY_ONLY), with the right answer; MEMORY_AND_DISK
 * blocks go to the executor's spill store instead and are read back from
 * there, on the executor that holds them and by another executor's fetch.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Session, sum } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import type { ExecutorKind } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";

describe("storage memory and eviction of cached blocks", () => {
  it("a cache that does not fit evicts older blocks, which are recomputed when read", async () => {
    // 1 MB of storage and execution together; each cached table is ~720 KB in 4 partitions.
    const session = new Session({ "executor.memory": "2m", "memory.fraction": 0.5, "shuffle.partitions": 2 });
    const cluster = await Cluster.start({ executors: 1, kind: "in-process" });
    const log = new EventLog(cluster.bus);
    session.backend = cluster.backend();
    const table = (offset: number) => session.createDataFrame(Array.from({ length: 60_000 }, (_, i) => ({ k: i % 10, v: i + offset })), { schema: { k: "int", v: "bigint" }, numPartitions: 4 });
    const total = (offset: number) => Array.from({ length: 60_000 }, (_, i) => i + offset).reduce((a, b) => a + b, 0);
    try {
      const a = table(0).cache(), b = table(1_000_000).cache();
      const sumOf = async (df: typeof a) => Number((await df.agg(sum("v")).collectArrays())[0]![0]);
      assert.equal(await sumOf(a), total(0));
      const beat0 = await cluster.executors[0]!.heartbeat();
      assert.ok((beat0.storageMemory ?? 0) > 0 && beat0.evictedBlocks === 0, JSON.stringify(beat0));
      assert.equal(await sumOf(b), total(1_000_000));
      const beat1 = await cluster.executors[0]!.heartbeat();
      assert.ok((beat1.evictedBlocks ?? 0) > 0, `b's blocks evicted a's (${JSON.stringify(beat1)})`);
      assert.ok(beat1.storageMemory! <= 1024 * 1024, "storage stays within executor.memory x memory.fraction");
      const cachedBefore = log.of("TaskEnd").filter((e) => e.metrics?.cachedBlocks?.length).length;
      assert.equal(await sumOf(a), total(0), "a is right after its blocks were evicted");
      const recomputed = log.of("TaskEnd").filter((e) => e.metrics?.cachedBlocks?.length).length - cachedBefore;
      assert.ok(recomputed > 0 && recomputed <= 4, `only a's evicted partitions were cached again (${recomputed})`);
    } finally { await cluster.stop(); }
  });

  for (const kind of ["in-process", "worker-thread"] as ExecutorKind[]) {
    it(`MEMORY_AND_DISK blocks evicted from memory are read back from disk, not recomputed (${kind})`, async () => {
      const session = new Session({ "executor.memory": "2m", "memory.fraction": 0.5, "shuffle.partitions": 2, "locality.wait": 0 });
      const cluster = await Cluster.start({ executors: 2, kind });
      const log = new EventLog(cluster.bus);
      session.backend = cluster.backend();
      const table = (offset: number) => session.createDataFrame(Array.from({ length: 120_000 }, (_, i) => ({ k: i % 10, v: i + offset })), { schema: { k: "int", v: "bigint" }, numPartitions: 8 });
      const total = (offset: number) => Array.from({ length: 120_000 }, (_, i) => i + offset).reduce((a, b) => a + b, 0);
      const sumOf = async (df: ReturnType<typeof table>) => Number((await df.agg(sum("v")).collectArrays())[0]![0]);
      const cachedTasks = () => log.of("TaskEnd").filter((e) => e.metrics?.cachedBlocks?.length).length;
      try {
        const a = table(0).persist("MEMORY_AND_DISK"), b = table(1_000_000).cache();
        assert.equal(await sumOf(a), total(0));
        const aBlocks = log.of("TaskEnd").flatMap((e) => (e.metrics?.cachedBlocks ?? []).map((id) => ({ id, executorId: e.executorId })));
        assert.equal(await sumOf(b), total(1_000_000));
        const beats = await Promise.all(cluster.executors.map((e) => e.heartbeat()));
        assert.ok(beats.some((h) => (h.evictedBlocks ?? 0) > 0 && (h.diskBlocks ?? 0) > 0), `b's blocks moved a's to disk (${JSON.stringify(beats)})`);
        const before = cachedTasks();
        assert.equal(await sumOf(a), total(0), "a is right, read back from disk");
        assert.equal(cachedTasks(), before, "no partition of a was computed again");
        // b is MEMORY_ONLY: an aggregate's execution memory may evict its blocks, which are then recomputed. None of a's is.
        const aRdd = aBlocks[0]!.id.split("_")[1];
        const failedOnA = log.of("TaskEnd").filter((e) => e.result !== "success" && (e.error?.details as { rddId?: number } | undefined)?.rddId === Number(aRdd));
        assert.deepEqual(failedOnA.map((e) => e.error?.message), []);
        // What another executor's read of a block goes through.
        for (const { id, executorId } of aBlocks) {
          const [batches] = await cluster.executors.find((e) => e.id === executorId)!.fetchBlocks([id]);
          assert.ok(batches && batches.reduce((n, x) => n + x.numRows, 0) === 15_000, `${id} served by ${executorId}`);
        }
        await a.unpersist();
        const after = await Promise.all(cluster.executors.map((e) => e.heartbeat()));
        assert.ok(after.every((h) => h.diskBlocks === 0), "unpersist drops the disk copies too");
      } finally { await cluster.stop(); }
    });
  }
});
