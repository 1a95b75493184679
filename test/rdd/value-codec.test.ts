/**
 * The RDD element codec: every value an RDD may hold reads back equal,
 * including the ones plain JSON loses, and equal keys encode to equal
 * strings (what the hash Exchange and reduceByKey rely on).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeValue, encodeValue } from "../../src/physical/operators/rdd-value-codec.ts";

describe("RDD value codec", () => {
  it("round-trips primitives, containers and the values JSON loses", () => {
    const values: unknown[] = [
      0, -1.5, 1e300, "", "é\"\n", true, false, null, undefined, NaN, Infinity, -Infinity, 2n ** 70n,
      [1, [2, "x"], { a: undefined, b: [NaN] }], { nested: { date: new Date(86_400_000), set: new Set(["a"]), map: new Map([[1, { x: 2n }]]) } },
    ];
    for (const v of values) assert.deepEqual(decodeValue(encodeValue(v)), v, `value ${String(v)}`);
  });

  it("encodes equal keys to equal strings and different types apart", () => {
    assert.equal(encodeValue([1, "a"]), encodeValue([1, "a"]));
    assert.notEqual(encodeValue(1), encodeValue("1"));
    assert.notEqual(encodeValue(null), encodeValue(undefined));
  });

  it("refuses functions and symbols with NOT_SERIALIZABLE", () => {
    assert.throws(() => encodeValue({ f: () => 1 }), (e: unknown) => (e as { code?: string }).code === "NOT_SERIALIZABLE");
    assert.throws(() => encodeValue([Symbol("s")]), (e: unknown) => (e as { code?: string }).code === "NOT_SERIALIZABLE");
  });
});
