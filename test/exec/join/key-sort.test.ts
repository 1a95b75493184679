/**
 * The sort-merge join's key sort: the radix path gives exactly the order of
 * the comparator sort (ascending key, ties by row index) for integer and
 * integral-double keys, NULL keys dropped; keys it cannot radix sort
 * (fractions, NaN, ranges of 2^32 or more) still sort correctly.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { radixSortRows, sortRowsByKeys } from "../../../src/exec/join/key-sort.ts";
import type { ColumnVector } from "../../../src/exec/column-vector.ts";
import { FLOAT64, INT32, INT64 } from "../../../src/types/data-types.ts";

function reference(values: ArrayLike<number>, valid: (i: number) => boolean): number[] {
  const rows = Array.from({ length: values.length }, (_, i) => i).filter(valid);
  return rows.sort((a, b) => (values[a]! < values[b]! ? -1 : values[a]! > values[b]! ? 1 : a - b));
}

describe("sort-merge join key sort", () => {
  it("radix sorts int32 keys like the comparator sort, NULLs dropped", () => {
    fc.assert(fc.property(
      fc.array(fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }), { maxLength: 3000 }),
      fc.integer({ min: 1, max: 2 ** 31 }),
      (cells, span) => {
        // Narrow the range sometimes, so one-, two- and three-pass sorts all occur.
        const values = Int32Array.from(cells, (c) => (c === null ? 0 : c % span));
        const validity = cells.some((c) => c === null) ? Uint8Array.from(cells, (c) => (c === null ? 0 : 1)) : null;
        const col: ColumnVector = { type: INT32, length: values.length, values, validity };
        assert.deepEqual([...sortRowsByKeys([col], values.length).rows], reference(values, (i) => validity === null || validity[i] === 1));
      }), { numRuns: 200 });
  });

  it("radix sorts integral doubles (int64) within 2^32 of each other, and declines what it cannot sort", () => {
    const big = Float64Array.from([2 ** 52 + 8, 2 ** 52, 2 ** 52 + 8, 2 ** 52 + 2]);
    assert.deepEqual([...radixSortRows(big, Int32Array.from([0, 1, 2, 3]))!.rows], [1, 3, 0, 2]);
    assert.equal(radixSortRows(Float64Array.from([0.5, 1, 2]), Int32Array.from([0, 1, 2])), null, "fractions");
    assert.equal(radixSortRows(Float64Array.from([1, NaN]), Int32Array.from([0, 1])), null, "NaN");
    assert.equal(radixSortRows(Float64Array.from([0, 2 ** 32]), Int32Array.from([0, 1])), null, "a range of 2^32");
    fc.assert(fc.property(fc.array(fc.oneof(fc.double({ noNaN: true }), fc.integer()), { maxLength: 500 }), (cells) => {
      const values = Float64Array.from(cells);
      const col: ColumnVector = { type: FLOAT64, length: values.length, values, validity: null };
      const got = [...sortRowsByKeys([col], values.length).rows].map((r) => values[r]);
      assert.deepEqual(got, reference(values, () => true).map((r) => values[r]));
    }));
    const dates = Float64Array.from({ length: 1000 }, (_, i) => 1_700_000_000_000_000 + ((i * 7919) % 300) * 86_400_000_000);
    const col: ColumnVector = { type: INT64, length: dates.length, values: dates, validity: null };
    assert.deepEqual([...sortRowsByKeys([col], dates.length).rows], reference(dates, () => true));
  });
});
