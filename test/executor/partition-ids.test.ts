/**
 * The shuffle writer's fast partition ids equal `hashPartitionIds` for every
 * key shape (int32 and double keys with NULLs, NaN, -0 and integral doubles,
 * strings, several keys), so rows land in the same reduce partition
 * whichever path computed them; and the counting-sort scatter puts every
 * row, in order, in its partition, with one shared array per column; the
 * row counts taken while computing ids equal the ids' histogram.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hashPartitionIds } from "../../src/exec/partition.ts";
import { utf8FromStrings } from "../../src/exec/column-vector.ts";
import type { Batch, ColumnVector } from "../../src/exec/column-vector.ts";
import { partitionIds } from "../../src/executor/partition-ids.ts";
import { scatterToPartitions } from "../../src/executor/shuffle-scatter.ts";

const ROWS = 5000;
const validity = Uint8Array.from({ length: ROWS }, (_, i) => (i % 13 === 0 ? 0 : 1));
const ints: ColumnVector = { type: { kind: "int32" }, length: ROWS, values: Int32Array.from({ length: ROWS }, (_, i) => (i * 7919) % 1000 - 500), validity };
const doubles: ColumnVector = {
  type: { kind: "float64" }, length: ROWS, validity,
  values: Float64Array.from({ length: ROWS }, (_, i) => (i % 5 === 0 ? i : i % 7 === 0 ? NaN : i % 11 === 0 ? -0 : i / 3 - 100)),
};
const bigints: ColumnVector = { type: { kind: "int64" }, length: ROWS, values: Float64Array.from({ length: ROWS }, (_, i) => i * 2 ** 33), validity: null };
const strings = utf8FromStrings(Array.from({ length: ROWS }, (_, i) => `k${i % 97}`));

describe("shuffle partition ids", () => {
  for (const [name, keys] of [["int32 with NULLs", [ints]], ["double with NULLs, NaN, -0", [doubles]], ["int64 beyond 32 bits", [bigints]], ["strings", [strings]], ["two keys", [ints, strings]]] as [string, ColumnVector[]][]) {
    for (const n of [1, 7, 8, 200]) {
      it(`${name}, ${n} partitions: same ids as hashPartitionIds`, () => {
        const fast = partitionIds(keys, ROWS, n);
        assert.deepEqual(fast, hashPartitionIds(keys, ROWS, n));
        assert.ok(fast.every((p) => p >= 0 && p < n));
      });
    }
    it(`${name}: the rows per partition counted with the ids equal the ids' histogram, across batches`, () => {
      const counts = new Int32Array(8);
      const a = partitionIds(keys, ROWS, 8, counts), b = partitionIds(keys, ROWS, 8, counts);
      const expected = new Int32Array(8);
      for (const ids of [a, b]) for (const p of ids) expected[p]!++;
      assert.deepEqual(counts, expected);
    });
  }
});

describe("counting-sort scatter", () => {
  it("puts every row, in order, in its partition; fixed-width columns share one array per column", () => {
    const batches: Batch[] = [0, 1, 2].map((b) => {
      const rows = 1000 + b * 17;
      return {
        numRows: rows,
        columns: [
          { type: { kind: "int32" }, length: rows, values: Int32Array.from({ length: rows }, (_, i) => b * 10_000 + i), validity: b === 1 ? Uint8Array.from({ length: rows }, (_, i) => (i % 3 ? 1 : 0)) : null },
          { type: { kind: "float64" }, length: rows, values: Float64Array.from({ length: rows }, (_, i) => (b * 10_000 + i) / 2), validity: null },
          utf8FromStrings(Array.from({ length: rows }, (_, i) => `s${b * 10_000 + i}`)),
        ],
      };
    });
    const n = 5;
    const ids = batches.map((bt) => partitionIds([bt.columns[1]!], bt.numRows, n));
    const out = scatterToPartitions(batches, ids, n, 3);
    const expected: string[][] = Array.from({ length: n }, () => []);
    batches.forEach((bt, b) => ids[b]!.forEach((p, i) => {
      const valid = bt.columns[0]!.validity === null || bt.columns[0]!.validity[i] === 1;
      expected[p]!.push(`${valid ? bt.columns[0]!.values[i] : "null"}|${bt.columns[1]!.values[i]}`);
    }));
    const buffers = new Set<ArrayBufferLike>();
    for (let p = 0; p < n; p++) {
      const block = out[p];
      if (expected[p]!.length === 0) { assert.equal(block, undefined); continue; }
      const got = Array.from({ length: block!.numRows }, (_, i) => {
        const c0 = block!.columns[0]!;
        return `${c0.validity === null || c0.validity[i] === 1 ? c0.values[i] : "null"}|${block!.columns[1]!.values[i]}`;
      });
      assert.deepEqual(got, expected[p], `partition ${p}`);
      buffers.add(block!.columns[1]!.values.buffer);
      const strs = block!.columns[2]!;
      assert.equal(strs.length, block!.numRows);
    }
    assert.equal(buffers.size, 1, "one shared array holds the double column of every partition");
  });
});
