/**
 * The distributed runtime in real Chromium: Web Worker executors pass the
 * same executor conformance suite as the Node backends (results, errors,
 * maxResultSize, recovery from a terminated worker and a failed fetch), and
 * blocks shipped to a worker share the page's memory (cross-origin
 * isolated) while strings stay decodable by TextDecoder.
 */
import { expect } from "./expect.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { startWebWorkerExecutor } from "../../src/cluster/web-worker-executor.ts";
import { shareBatch, isSharedBatch } from "../../src/executor/shared-batch.ts";
import { tableBlockId } from "../../src/executor/task.ts";
import { stringAt, utf8FromStrings } from "../../src/exec/column-vector.ts";
import type { Batch } from "../../src/exec/column-vector.ts";
import { executorConformance } from "../cluster/executor-conformance.ts";

executorConformance({ describe, it, before, after }, {
  name: "web-worker",
  start: (executors) => Cluster.start({ executors, kind: "web-worker" }),
});

describe("web-worker blocks in a cross-origin-isolated page", () => {
  it("share numeric buffers with the worker and keep strings decodable", async () => {
    expect(crossOriginIsolated).toBe(true);
    const executor = await startWebWorkerExecutor("zero-copy", 1, { fetchBlocks: async (_holder: string, ids: string[]) => ids.map(() => null) });
    try {
      const batch: Batch = shareBatch({
        numRows: 3,
        columns: [{ type: { kind: "float64" }, length: 3, values: Float64Array.from([1, 2, 3]), validity: null }, utf8FromStrings(["a", "bé", null])],
      });
      expect(isSharedBatch(batch)).toBe(true);
      await executor.putTable("t", [[batch]]);
      (batch.columns[0]!.values as Float64Array)[1] = 42;
      const back = (await executor.fetchBlock(tableBlockId("t", 0)))!;
      expect(back[0]!.columns[0]!.values[1]).toBe(42);
      expect(back[0]!.columns[0]!.values.buffer instanceof SharedArrayBuffer).toBe(true);
      expect(stringAt(back[0]!.columns[1]!, 1)).toBe("bé");
    } finally {
      await executor.stop();
    }
  });
});
