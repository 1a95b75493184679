/**
 * The WebAssembly kernels compile in Chromium (SIMD included) and give the
 * JS loops' ids, counts and blocks, so a row lands in the same reduce
 * partition whether a Web Worker or a Node thread wrote it, and the join's
 * radix sort gives the JS loops' order.
 */
import { expect } from "./expect.ts";
import type { Batch, ColumnVector } from "../../src/exec/column-vector.ts";
import { hashPartitionIds } from "../../src/exec/partition.ts";
import { partitionIds } from "../../src/executor/partition-ids.ts";
import { scatterToPartitions } from "../../src/executor/shuffle-scatter.ts";
import { wasmKernels } from "../../wasm/kernels.ts";
import { radixSortRows } from "../../src/exec/join/key-sort.ts";

const ROWS = 20_001;
const validity = Uint8Array.from({ length: ROWS }, (_, i) => (i % 11 === 0 ? 0 : 1));
const ints: ColumnVector = { type: { kind: "int32" }, length: ROWS, values: Int32Array.from({ length: ROWS }, (_, i) => Math.imul(i, 2654435761) | 0), validity: null };
const doubles: ColumnVector = {
  type: { kind: "float64" }, length: ROWS, validity,
  values: Float64Array.from({ length: ROWS }, (_, i) => (i % 7 === 0 ? NaN : i % 5 === 0 ? -0 : i % 3 === 0 ? i * 2 ** 33 : i / 3)),
};

describe("WebAssembly kernels in Chromium", () => {
  it("compile in the page", () => {
    expect(wasmKernels() !== null).toBe(true);
  });

  for (const n of [8, 200]) {
    it(`give hashPartitionIds' ids and the JS loops' blocks, ${n} partitions`, () => {
      const kernels = wasmKernels();
      for (const key of [ints, doubles]) {
        const counts = new Int32Array(n), jsCounts = new Int32Array(n);
        const ids = partitionIds([key], ROWS, n, counts, kernels);
        const expected = hashPartitionIds([key], ROWS, n);
        expect(ids.every((p, i) => p === expected[i])).toBe(true);
        partitionIds([key], ROWS, n, jsCounts, null);
        expect([...counts]).toEqual([...jsCounts]);
        const batches: Batch[] = [{ numRows: ROWS, columns: [ints, doubles] }];
        const wasm = scatterToPartitions(batches, [ids], n, 2, counts, (b) => new SharedArrayBuffer(b), kernels);
        const js = scatterToPartitions(batches, [ids], n, 2, counts, null, null);
        for (let r = 0; r < n; r++) {
          for (let c = 0; c < 2; c++) {
            const a = wasm[r]!.columns[c]!, b = js[r]!.columns[c]!;
            expect(a.values.every((x, i) => Object.is(x, b.values[i]))).toBe(true);
            expect(JSON.stringify(a.validity && [...a.validity])).toBe(JSON.stringify(b.validity && [...b.validity]));
          }
        }
      }
    });
  }

  it("radix sort the join's keys into the JS loops' stable order", () => {
    const values = Float64Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 300_001 - 1000);
    const rows = Int32Array.from({ length: values.length }, (_, i) => i);
    const wasm = radixSortRows(values, rows, wasmKernels()), js = radixSortRows(values, rows, null);
    expect(wasm!.rows.every((r, i) => r === js!.rows[i])).toBe(true);
    expect(wasm!.rows.every((r, i) => i === 0 || values[wasm!.rows[i - 1]!]! <= values[r]!)).toBe(true);
  });
});
