/** Comparison kernels: strings (every operator, against a constant, a plain column and a dictionary column, equal to a byte-order reference) and doubles (NaN, -0, infinities, in DuckDB's order); property-based. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { UTF8 } from "../../src/types/data-types.ts";
import type { ComparisonOp } from "../../src/types/operations.ts";
import type { ColumnVector } from "../../src/exec/column-vector.ts";
import { utf8FromStrings } from "../../src/exec/column-vector.ts";
import { constantVector } from "../../src/exec/constant.ts";
import { compare } from "../../src/exec/compare.ts";
import { inList } from "../../src/exec/conditional.ts";
import { duckRows } from "../support/duckdb-oracle.ts";

const OPS: ComparisonOp[] = ["=", "!=", "<", "<=", ">", ">="];
const encoder = new TextEncoder();

function reference(op: ComparisonOp, a: string, b: string): number {
  const c = Buffer.compare(encoder.encode(a), encoder.encode(b));
  return Number(op === "=" ? c === 0 : op === "!=" ? c !== 0 : op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0);
}

/** The same strings dictionary-encoded (distinct entries, codes per row). */
function dictionaryOf(strings: string[]): ColumnVector {
  const entries = [...new Set(strings)];
  const codes = Int32Array.from(strings, (s) => entries.indexOf(s));
  return { type: UTF8, length: strings.length, values: codes, validity: null, dictionary: utf8FromStrings(entries) };
}

// Short strings over a small alphabet (with a multi-byte letter) so that equal strings and shared prefixes are common.
const text = fc.string({ unit: fc.constantFrom("a", "b", "é", " "), maxLength: 5 });

describe("string comparison kernels", () => {
  it("column op constant, column op column: plain and dictionary-encoded, every operator", () => {
    fc.assert(fc.property(fc.array(text, { maxLength: 40 }), fc.array(text, { maxLength: 40 }), text, (xs, ys, k) => {
      const n = Math.min(xs.length, ys.length);
      const a = xs.slice(0, n), b = ys.slice(0, n);
      for (const op of OPS) {
        const expected = a.map((x, i) => reference(op, x, b[i]!));
        const expectedK = a.map((x) => reference(op, x, k));
        for (const left of [utf8FromStrings(a), dictionaryOf(a)]) {
          assert.deepEqual(Array.from(compare(op, left, utf8FromStrings(b)).values), expected, `${op} column`);
          assert.deepEqual(Array.from(compare(op, left, dictionaryOf(b)).values), expected, `${op} dictionary column`);
          assert.deepEqual(Array.from(compare(op, left, constantVector(k, UTF8, n)).values), expectedK, `${op} '${k}'`);
        }
      }
    }));
  });

  it("IN over short and long literal lists", () => {
    fc.assert(fc.property(fc.array(text, { maxLength: 40 }), fc.array(text, { minLength: 1, maxLength: 12 }), (xs, items) => {
      const list = items.map((t) => constantVector(t, UTF8, xs.length));
      const expected = xs.map((x) => Number(items.includes(x)));
      assert.deepEqual(Array.from(inList(utf8FromStrings(xs), list, false).values), expected);
      assert.deepEqual(Array.from(inList(dictionaryOf(xs), list, false).values), expected);
    }));
  });
});

describe("numeric comparison kernels", () => {
  // DuckDB's (and Spark's) order: NaN above every number and equal to itself, so NaN = NaN and NaN > 1e308.
  const rank = (v: number): [number, number] => (Number.isNaN(v) ? [1, 0] : [0, v]);
  const ref = (op: ComparisonOp, a: number, b: number): number => {
    const [ra, va] = rank(a), [rb, vb] = rank(b);
    const c = ra !== rb ? ra - rb : va < vb ? -1 : va > vb ? 1 : 0;
    return Number(op === "=" ? c === 0 : op === "!=" ? c !== 0 : op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0);
  };
  const num = fc.oneof(fc.constantFrom(NaN, 0, -0, Infinity, -Infinity, 1.5), fc.double());

  it("doubles with NaN, -0 and infinities, every operator, as DuckDB orders them", () => {
    fc.assert(fc.property(fc.array(fc.tuple(num, num), { maxLength: 40 }), (pairs) => {
      const col = (vs: number[]): ColumnVector => ({ type: { kind: "float64" }, length: vs.length, values: Float64Array.from(vs), validity: null });
      const a = pairs.map((p) => p[0]), b = pairs.map((p) => p[1]);
      for (const op of OPS) assert.deepEqual(Array.from(compare(op, col(a), col(b)).values), a.map((x, i) => ref(op, x, b[i]!)), op);
    }));
  });

  it("agrees with DuckDB on NaN comparisons", async () => {
    const rows = await duckRows(`SELECT 'nan'::DOUBLE = 'nan'::DOUBLE, 'nan'::DOUBLE > 1e308, 'nan'::DOUBLE < 1, '-0.0'::DOUBLE = 0::DOUBLE, 'nan'::DOUBLE >= 'nan'::DOUBLE`);
    const f = (vs: number[]): ColumnVector => ({ type: { kind: "float64" }, length: vs.length, values: Float64Array.from(vs), validity: null });
    const ours = [compare("=", f([NaN]), f([NaN])), compare(">", f([NaN]), f([1e308])), compare("<", f([NaN]), f([1])), compare("=", f([-0]), f([0])), compare(">=", f([NaN]), f([NaN]))]
      .map((c) => c.values[0] === 1);
    assert.deepEqual(ours, rows[0]);
  });
});
