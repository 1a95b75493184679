/** String comparison kernels: every operator, against a constant, a plain column and a dictionary column, equal to a byte-order reference (property-based). */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { UTF8 } from "../../src/plan/types.ts";
import type { ComparisonOp } from "../../src/plan/expressions.ts";
import type { ColumnVector } from "../../src/exec/column-vector.ts";
import { utf8FromStrings } from "../../src/exec/column-vector.ts";
import { constantVector } from "../../src/exec/constant.ts";
import { compare } from "../../src/exec/compare.ts";
import { inList } from "../../src/exec/conditional.ts";

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
