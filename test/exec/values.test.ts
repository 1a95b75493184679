/** Reading single cells out of column vectors (collect, show, CSV): NULLs come from row validity or a NULL dictionary entry. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { UTF8 } from "../../src/types/data-types.ts";
import type { ColumnVector } from "../../src/exec/column-vector.ts";
import { isValidAt, utf8FromStrings } from "../../src/exec/column-vector.ts";
import { formatCell, valueAt } from "../../src/exec/values.ts";

describe("valueAt / formatCell over dictionary-encoded strings", () => {
  const dictionary = utf8FromStrings(["a", null, "c"]);
  const col: ColumnVector = { type: UTF8, length: 4, values: Int32Array.from([0, 1, 2, 0]), validity: Uint8Array.from([1, 1, 1, 0]), dictionary };

  it("reads a row whose dictionary entry is NULL as NULL, not as an empty string", () => {
    assert.deepEqual([0, 1, 2, 3].map((i) => valueAt(col, i)), ["a", null, "c", null]);
    assert.deepEqual([0, 1, 2, 3].map((i) => formatCell(col, i)), ["a", null, "c", null]);
    assert.deepEqual([0, 1, 2, 3].map((i) => isValidAt(col, i)), [true, false, true, false]);
  });
});
