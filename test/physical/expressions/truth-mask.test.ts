/**
 * A filter's TRUE mask (truth-mask.ts) equals "rows where `evaluate` gives
 * TRUE" for conjunctions of comparisons with literals on either side, over
 * int32, decimal and double columns with NULLs and NaN, with non-literal
 * conjuncts mixed in; property-based.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Expr } from "../../../src/plan/expressions.ts";
import type { Batch, ColumnVector } from "../../../src/exec/column-vector.ts";
import type { DataType } from "../../../src/types/data-types.ts";
import { evaluate } from "../../../src/physical/expressions/evaluate.ts";
import { truthMask } from "../../../src/physical/expressions/truth-mask.ts";

const OPS = ["=", "!=", "<", "<=", ">", ">="] as const;
const TYPES: DataType[] = [{ kind: "int32" }, { kind: "decimal", precision: 15, scale: 2 }, { kind: "float64" }];

const cell = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });

function column(type: DataType, cells: (number | null)[]): ColumnVector {
  const floating = type.kind === "float64";
  const values = floating ? new Float64Array(cells.length) : type.kind === "int32" ? new Int32Array(cells.length) : new Float64Array(cells.length);
  const validity = new Uint8Array(cells.length);
  cells.forEach((c, i) => { if (c !== null && (floating || !Number.isNaN(c))) { values[i] = c; validity[i] = 1; } });
  return { type, length: cells.length, values, validity };
}

const conjunct = fc.record({
  column: fc.integer({ min: 0, max: 2 }), op: fc.constantFrom(...OPS), value: fc.integer({ min: -3, max: 3 }),
  literalLeft: fc.boolean(), columnColumn: fc.boolean(),
});

describe("truthMask", () => {
  it("equals the TRUE rows of evaluate for conjunctions of comparisons", () => {
    fc.assert(fc.property(fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 60 }), fc.array(conjunct, { minLength: 1, maxLength: 5 }), (rows, conjuncts) => {
      const batch: Batch = { numRows: rows.length, columns: TYPES.map((t, c) => column(t, rows.map((r) => r[c]!))) };
      const ref = (c: number): Expr => ({ type: "boundRef", index: c, dataType: TYPES[c]!, nullable: true } as Expr);
      const tests = conjuncts.map((k): Expr => {
        if (k.columnColumn) return { type: "binary", op: k.op, left: ref(k.column), right: ref((k.column + 1) % 3 === 2 ? 0 : (k.column + 1) % 3) } as Expr;
        const lit = { type: "literal", value: k.value, dataType: TYPES[k.column]! } as Expr;
        return { type: "binary", op: k.op, left: k.literalLeft ? lit : ref(k.column), right: k.literalLeft ? ref(k.column) : lit } as Expr;
      });
      const predicate = tests.reduce((a, b): Expr => ({ type: "binary", op: "and", left: a, right: b } as Expr));
      const full = evaluate(predicate, batch);
      const expected = Array.from({ length: rows.length }, (_, i) => (full.validity && !full.validity[i] ? 0 : full.values[i] ? 1 : 0));
      assert.deepEqual([...truthMask(predicate, batch)], expected);
    }), { numRuns: 400 });
  });
});
