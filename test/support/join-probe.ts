/** Drains a JoinHashTable probe in chunks of `cap` pairs, for tests of the join table and the join operators. */
import assert from "node:assert/strict";
import type { ColumnVector } from "../../src/exec/column-vector.ts";
import { hashRows } from "../../src/exec/hash.ts";
import type { JoinHashTable } from "../../src/exec/join/join-hash-table.ts";
import { newProbeCursor } from "../../src/exec/join/join-hash-table.ts";
import { keysNullMask } from "../../src/exec/join/join-keys.ts";

/** Every (probe row, build row) pair a probe yields, drained with the given chunk capacity. */
export function drainProbe(table: JoinHashTable, keys: ColumnVector[], n: number, cap: number, firstOnly = false): [number, number][] {
  const hashes = hashRows(keys, n), nulls = keysNullMask(keys, n), cursor = newProbeCursor();
  const ps = new Int32Array(cap), bs = new Int32Array(cap);
  const out: [number, number][] = [];
  for (;;) {
    const count = table.probe(keys, hashes, nulls, n, cursor, ps, bs, cap, firstOnly);
    if (count === 0) return out;
    assert.ok(count <= cap);
    for (let k = 0; k < count; k++) out.push([ps[k]!, bs[k]!]);
  }
}
