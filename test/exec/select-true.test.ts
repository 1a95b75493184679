/**
 * selectTrue, which every filter runs: the row indices where a boolean
 * column is TRUE, NULL and FALSE dropped, equal to a row-by-row reference
 * for masks of any length, density and byte alignment (the word-at-a-time
 * path reads four rows per load only where the bytes are 4-aligned).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { selectTrue } from "../../src/exec/select-true.ts";
import { BOOLEAN } from "../../src/types/data-types.ts";

describe("selectTrue", () => {
  it("equals the row-by-row reference at every offset, density and NULL pattern", () => {
    fc.assert(fc.property(
      fc.array(fc.boolean(), { maxLength: 300 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 100 }), fc.boolean(),
      (bits, offset, density, withNulls) => {
        // A view at `offset` into a larger buffer, as a slice of a batch is; density thins the TRUE rows out.
        const buffer = new Uint8Array(bits.length + offset + 3);
        const values = buffer.subarray(offset, offset + bits.length);
        bits.forEach((b, i) => { values[i] = b && (i * 37) % 101 < density ? 1 : 0; });
        const validity = withNulls ? Uint8Array.from(bits, (_, i) => (i % 5 === 0 ? 0 : 1)) : null;
        const { indices, count } = selectTrue({ type: BOOLEAN, length: values.length, values, validity });
        const expected = [...values.keys()].filter((i) => values[i] === 1 && (validity === null || validity[i] === 1));
        assert.deepEqual([...indices.subarray(0, count)], expected);
      }), { numRuns: 500 });
  });
});
