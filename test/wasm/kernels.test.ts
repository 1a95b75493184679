/**
 * The WebAssembly kernels give the JS loops' answers exactly: the
 * same reduce partition for every key (int32, small ints, doubles with NaN,
 * -0, infinities and values beyond 32 bits, NULLs; any partition count),
 * the same row counts, and the same rows in the same order in every block
 * for every column class, across batches; the join's radix sort gives the
 * JS loops' stable order. An instance that grew past what a thread keeps is
 * replaced by a small one.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { hashPartitionIds } from "../../src/exec/partition.ts";
import { utf8FromStrings } from "../../src/exec/column-vector.ts";
import type { Batch, ColumnVector, NumericArray } from "../../src/exec/column-vector.ts";
import type { DataType } from "../../src/types/data-types.ts";
import { partitionIds } from "../../src/executor/partition-ids.ts";
import { scatterToPartitions } from "../../src/executor/shuffle-scatter.ts";
import { wasmKernels } from "../../wasm/kernels.ts";
import { radixSortRows } from "../../src/exec/join/key-sort.ts";

const kernels = wasmKernels();

const specialDoubles = [NaN, -0, 0, Infinity, -Infinity, 2 ** 31, -(2 ** 31), 2 ** 31 - 1, 2 ** 53, 1e300, 0.5, -1.5];
const doubleValue = fc.oneof(fc.constantFrom(...specialDoubles), fc.double(), fc.integer({ min: -1000, max: 1000 }));
const partitions = fc.oneof(fc.constantFrom(1, 2, 8, 200, 256), fc.integer({ min: 1, max: 300 }));

function keyColumn(type: DataType, values: NumericArray, nulls: boolean[] | null): ColumnVector {
  const validity = nulls && nulls.some(Boolean) ? Uint8Array.from(values, (_, i) => (nulls[i % nulls.length] ? 0 : 1)) : null;
  return { type, length: values.length, values, validity };
}

const keyColumns = fc.oneof(
  fc.tuple(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 300 }), fc.option(fc.array(fc.boolean(), { minLength: 1 })))
    .map(([v, nulls]) => keyColumn({ kind: "int32" }, Int32Array.from(v), nulls)),
  fc.tuple(fc.array(fc.integer({ min: -32768, max: 32767 }), { maxLength: 300 }), fc.option(fc.array(fc.boolean(), { minLength: 1 })))
    .map(([v, nulls]) => keyColumn({ kind: "int16" }, Int16Array.from(v), nulls)),
  fc.array(fc.boolean(), { maxLength: 300 }).map((v) => keyColumn({ kind: "boolean" }, Uint8Array.from(v, Number), null)),
  fc.tuple(fc.array(doubleValue, { maxLength: 300 }), fc.option(fc.array(fc.boolean(), { minLength: 1 })))
    .map(([v, nulls]) => keyColumn({ kind: "float64" }, Float64Array.from(v), nulls)),
);

describe("WebAssembly kernels", () => {
  it("compile and run here (Node)", () => assert.ok(kernels));

  it("give every key the reduce partition hashPartitionIds gives, and count the same rows", () => {
    fc.assert(fc.property(keyColumns, partitions, (key, n) => {
      const rows = key.length;
      const wasmCounts = new Int32Array(n), jsCounts = new Int32Array(n);
      const wasm = partitionIds([key], rows, n, wasmCounts, kernels);
      const js = partitionIds([key], rows, n, jsCounts, null);
      assert.deepEqual(wasm, hashPartitionIds([key], rows, n));
      assert.deepEqual(js, wasm);
      assert.deepEqual(wasmCounts, jsCounts);
    }), { numRuns: 300 });
  });

  it("scatter every column class into the same blocks as the JS loops, across batches", () => {
    const column = (kind: string, rows: number, seed: number, nulls: boolean): ColumnVector => {
      const validity = nulls ? Uint8Array.from({ length: rows }, (_, i) => ((i + seed) % 3 === 0 ? 0 : 1)) : null;
      const at = (i: number) => (i * 2654435761 + seed) % 1000;
      switch (kind) {
        case "float64": return { type: { kind: "float64" }, length: rows, validity, values: Float64Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? NaN : at(i) / 7)) };
        case "int32": return { type: { kind: "int32" }, length: rows, validity, values: Int32Array.from({ length: rows }, (_, i) => at(i) - 500) };
        case "float32": return { type: { kind: "float32" }, length: rows, validity, values: Float32Array.from({ length: rows }, (_, i) => at(i) / 3) };
        case "int16": return { type: { kind: "int16" }, length: rows, validity, values: Int16Array.from({ length: rows }, (_, i) => at(i)) };
        case "boolean": return { type: { kind: "boolean" }, length: rows, validity, values: Uint8Array.from({ length: rows }, (_, i) => at(i) & 1) };
        default: return { ...utf8FromStrings(Array.from({ length: rows }, (_, i) => `s${at(i)}`)), validity };
      }
    };
    const kinds = ["float64", "int32", "float32", "int16", "boolean", "utf8"];
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.array(fc.boolean(), { minLength: kinds.length, maxLength: kinds.length })), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 1, max: 40 }),
      (shape, n) => {
        const batches: Batch[] = shape.map(([rows, nulls], b) => ({ numRows: rows, columns: kinds.map((k, c) => column(k, rows, b * 31 + c, nulls[c]!)) }));
        const ids = batches.map((bt) => partitionIds([bt.columns[1]!], bt.numRows, n, undefined, null));
        const wasm = scatterToPartitions(batches, ids, n, kinds.length, undefined, null, kernels);
        const js = scatterToPartitions(batches, ids, n, kinds.length, undefined, null, null);
        assert.deepEqual(wasm, js);
        assert.equal(wasm.reduce((s, b) => s + (b?.numRows ?? 0), 0), shape.reduce((s, [rows]) => s + rows, 0));
      },
    ), { numRuns: 100 });
  });

  it("radix sort the join's keys into the JS loops' stable order", () => {
    fc.assert(fc.property(
      fc.oneof(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 500 }), fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 500 }),
        fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 3000 })),
      fc.boolean(),
      (values, subset) => {
        const v = Float64Array.from(values);
        const rows = Int32Array.from({ length: v.length }, (_, i) => i).filter((i) => !subset || i % 3 !== 0);
        const wasm = radixSortRows(v, rows, kernels), js = radixSortRows(v, rows, null);
        assert.deepEqual(wasm, js);
        const expected = [...rows].sort((a, b) => v[a]! - v[b]! || a - b);
        assert.deepEqual([...wasm!.rows], expected);
      },
    ), { numRuns: 200 });
  });

  it("write into the shared memory the allocator gives", () => {
    const rows = 10_000;
    const key: ColumnVector = { type: { kind: "int32" }, length: rows, values: Int32Array.from({ length: rows }, (_, i) => i), validity: null };
    const blocks = scatterToPartitions([{ numRows: rows, columns: [key] }], [partitionIds([key], rows, 4, undefined, kernels)], 4, 1, undefined, (bytes) => new SharedArrayBuffer(bytes), kernels);
    for (const b of blocks) assert.ok(b!.columns[0]!.values.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(blocks.flatMap((b) => [...b!.columns[0]!.values]).sort((x, y) => x - y), [...key.values]);
  });

  it("leave a thread a small instance after a task that needed a large one", () => {
    const rows = 4_000_000; // 4 bytes of ids + 8 of input + 8 of output a row: past the 64 MiB an instance keeps
    const key: ColumnVector = { type: { kind: "float64" }, length: rows, values: Float64Array.from({ length: rows }, (_, i) => i), validity: null };
    const before = wasmKernels();
    const ids = partitionIds([key], rows, 8, undefined, before);
    const blocks = scatterToPartitions([{ numRows: rows, columns: [key] }], [ids], 8, 1, undefined, null, wasmKernels());
    assert.equal(blocks.reduce((s, b) => s + b!.numRows, 0), rows);
    assert.notEqual(wasmKernels(), before);
    assert.deepEqual(partitionIds([key], 1000, 8, undefined, wasmKernels()), partitionIds([key], 1000, 8, undefined, null));
  });
});
