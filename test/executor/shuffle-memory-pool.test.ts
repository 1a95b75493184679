/**
 * The shuffle memory pool: size classes waste under a quarter, a released
 * shuffle's buffers are handed out again (and only then), and no more than
 * `maxFreeBytes` is kept.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ShuffleMemoryPool, sizeClass } from "../../src/executor/shuffle-memory-pool.ts";

describe("shuffle memory pool", () => {
  it("rounds a request up by less than a quarter", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (bytes) => {
      const size = sizeClass(bytes);
      return size >= bytes && size < bytes * 1.25 + 1;
    }));
    assert.equal(sizeClass(100_000), 114_688); // 1.75 x 64 KiB
    assert.equal(sizeClass(1 << 20), 1 << 20);
  });

  it("reuses a removed shuffle's buffers for later shuffles, not before", () => {
    const pool = new ShuffleMemoryPool(1 << 30);
    const a = pool.allocator(1)(1_000_000);
    assert.ok(pool.isPooled(a));
    const b = pool.allocator(2)(1_000_000);
    assert.notEqual(a, b, "shuffle 1 still holds its buffer");
    pool.releaseShuffle(1);
    assert.equal(pool.retainedBytes, a.byteLength);
    assert.equal(pool.allocator(3)(990_000), a, "same size class: the released buffer comes back");
    assert.equal(pool.retainedBytes, 0);
    const small = pool.allocator(3)(1000);
    assert.equal(pool.isPooled(small), false, "small buffers are not pooled");
  });

  it("keeps at most maxFreeBytes of released memory", () => {
    const pool = new ShuffleMemoryPool(3 << 20);
    const alloc = pool.allocator(7);
    for (let i = 0; i < 5; i++) alloc(1 << 20);
    pool.releaseShuffle(7);
    assert.equal(pool.retainedBytes, 3 << 20);
    pool.maxFreeBytes = 0;
    assert.equal(pool.isPooled(pool.allocator(8)(1 << 20)), false, "a zero pool hands out fresh, unpooled memory");
  });
});
