/**
 * Blocks live in shared memory: numeric, offset and validity buffers move
 * into SharedArrayBuffers and a worker-thread executor reads the very same
 * memory the driver wrote (no copy), while UTF-8 string bytes stay in
 * ordinary memory so TextDecoder can read them (Chromium refuses shared
 * views). Also a map task's shuffle blocks split rows by key and their
 * sizes add up.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { utf8FromStrings, stringAt, batchByteSize } from "../../src/exec/column-vector.ts";
import type { Batch } from "../../src/exec/column-vector.ts";
import { shareBatch, isSharedBatch } from "../../src/executor/shared-batch.ts";
import { startWorkerThreadExecutor } from "../../src/cluster/worker-thread-executor.ts";
import { ExecutorCore } from "../../src/executor/executor-core.ts";
import { tableBlockId, shuffleBlockId } from "../../src/executor/task.ts";
import { CONFIG_DEFAULTS } from "../../src/common/config.ts";
import type { PhysicalPlan } from "../../src/physical/physical-plan.ts";

function sampleBatch(): Batch {
  const ids = Float64Array.from({ length: 1000 }, (_, i) => i);
  const validity = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 0 : 1));
  return {
    numRows: 1000,
    columns: [
      { type: { kind: "int64" }, length: 1000, values: ids, validity },
      utf8FromStrings(Array.from({ length: 1000 }, (_, i) => `row-${i}`)),
    ],
  };
}

describe("shared blocks", () => {
  it("moves numeric buffers to shared memory and keeps string bytes decodable", () => {
    const shared = shareBatch(sampleBatch());
    assert.ok(isSharedBatch(shared));
    assert.ok(shared.columns[0]!.values.buffer instanceof SharedArrayBuffer);
    assert.ok(shared.columns[0]!.validity!.buffer instanceof SharedArrayBuffer);
    assert.ok(shared.columns[1]!.offsets!.buffer instanceof SharedArrayBuffer);
    assert.ok(!(shared.columns[1]!.values.buffer instanceof SharedArrayBuffer), "utf8 bytes stay unshared");
    assert.equal(stringAt(shared.columns[1]!, 42), "row-42");
  });

  it("a worker-thread executor reads the driver's memory without a copy", async () => {
    const executor = await startWorkerThreadExecutor("zero-copy", 1, { fetchBlocks: async (_holder: string, ids: string[]) => ids.map(() => null) });
    try {
      const shared = shareBatch(sampleBatch());
      await executor.putTable("t", [[shared]]);
      // Written after the table was shipped: visible to the worker only if the memory is shared.
      (shared.columns[0]!.values as Float64Array)[7] = 123456;
      const back = (await executor.fetchBlock(tableBlockId("t", 0)))!;
      assert.equal(back[0]!.columns[0]!.values[7], 123456);
      assert.equal(stringAt(back[0]!.columns[1]!, 999), "row-999");
      assert.equal(back[0]!.columns[0]!.validity![10], 0);
    } finally {
      await executor.stop();
    }
  });

  it("a map task writes one shared block per reduce partition, split by key hash", async () => {
    const core = new ExecutorCore("e", { fetchBlocks: async (_holder: string, ids: string[]) => ids.map(() => null) });
    core.putTable("t", [[sampleBatch()]]);
    const schema = [{ name: "id", type: { kind: "int64" as const }, nullable: true, id: 1 }, { name: "s", type: { kind: "utf8" as const }, nullable: false, id: 2 }];
    const scan: PhysicalPlan = { type: "ScanExec", source: { kind: "memory", tableId: "t", numPartitions: 1, rowCount: 1000, sizeBytes: 0 }, sourceSchema: schema, projection: null, filters: [], numPartitions: 1, schema };
    const result = await core.runTask({
      jobId: 0, stageId: 0, stageAttempt: 0, taskId: 0, attempt: 0, partition: 0, plan: scan, shuffles: {}, config: { ...CONFIG_DEFAULTS },
      output: { kind: "shuffle", shuffleId: 9, partitioning: { kind: "hash", keys: [{ type: "boundRef", index: 0, dataType: { kind: "int64" }, nullable: true }], numPartitions: 4 } },
    });
    assert.equal(result.kind, "mapStatus");
    const sizes = (result as { sizes: number[] }).sizes;
    let rows = 0, bytes = 0;
    for (let r = 0; r < 4; r++) {
      const block = (await core.fetchBlock(shuffleBlockId(9, 0, r)))!;
      for (const b of block) { rows += b.numRows; bytes += batchByteSize(b); assert.ok(isSharedBatch(b)); }
      assert.equal(block.reduce((n, b) => n + batchByteSize(b), 0), sizes[r]);
    }
    assert.equal(rows, 1000);
    assert.equal(bytes, sizes.reduce((a, b) => a + b, 0));
    assert.ok(sizes.filter((s) => s > 0).length > 1, "rows spread over several reduce partitions");
    core.removeShuffle(9);
    assert.equal(await core.fetchBlock(shuffleBlockId(9, 0, 0)), null);
  });
});
