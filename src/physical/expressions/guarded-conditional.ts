/**
 * CASE and COALESCE evaluated so that an argument is computed only where it
 * is chosen, when computing it everywhere fails. Branches are first computed
 * over every row (fast, vectorized); if that raises an execution error (a
 * cast of text that is not a number, sqrt of a negative...) it is redone
 * lazily, each THEN only over the rows its WHEN selects and each WHEN only
 * over the rows still undecided, so `CASE WHEN x > 0 THEN ln(x) END` and a
 * CAST guarded by a CASE behave as in DuckDB and Spark. The kernels that
 * combine the chosen values are in src/exec/conditional.ts.
 */
import type { DataType } from "../../types/data-types.ts";
import type { Expr } from "../../plan/expressions.ts";
import { exprType } from "../../plan/expression-types.ts";
import { ExecutionError } from "../../common/errors.ts";
import type { Batch, ColumnVector } from "../../exec/column-vector.ts";
import { take, takeBatch } from "../../exec/column-vector.ts";
import { caseWhen, coalesce } from "../../exec/conditional.ts";
import { pickRows } from "../../exec/functions/vector-util.ts";

type Evaluate = (e: Expr, batch: Batch) => ColumnVector;

type CaseExpr = Extract<Expr, { type: "case" }>;

/** Evaluates a CASE expression over a batch, lazily where eagerly fails. */
export function evaluateCase(e: CaseExpr, batch: Batch, evaluate: Evaluate): ColumnVector {
  const type = exprType(e);
  try {
    return caseWhen(e.branches.map((b) => ({ when: evaluate(b.when, batch), then: evaluate(b.then, batch) })), e.otherwise ? evaluate(e.otherwise, batch) : null, type, batch.numRows);
  } catch (err) {
    if (!(err instanceof ExecutionError)) throw err;
    return lazyCase(e, batch, evaluate, type);
  }
}

function lazyCase(e: CaseExpr, batch: Batch, evaluate: Evaluate, type: DataType): ColumnVector {
  const n = batch.numRows;
  const pick = new Int32Array(n).fill(-1);
  const sources: ColumnVector[] = [];
  let rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  let count = n;
  /** Evaluates `expr` on the undecided rows listed in `chosen` (positions into `rows`) and scatters it back to full length. */
  const addSource = (expr: Expr, sub: Batch, chosen: Int32Array, c: number) => {
    const value = evaluate(expr, c === sub.numRows ? sub : takeBatch(sub, chosen, c));
    const back = new Int32Array(n).fill(-1);
    for (let k = 0; k < c; k++) {
      const row = rows[chosen[k]!]!;
      back[row] = k;
      pick[row] = sources.length;
    }
    sources.push(take(value, back));
  };
  for (const b of e.branches) {
    if (count === 0) break;
    const sub = count === n ? batch : takeBatch(batch, rows, count);
    const cond = evaluate(b.when, sub), cv = cond.values, valid = cond.validity;
    const chosen = new Int32Array(count), rest = new Int32Array(count);
    let c = 0, r = 0;
    for (let j = 0; j < count; j++) {
      if (cv[j] === 1 && (!valid || valid[j] === 1)) chosen[c++] = j; else rest[r++] = rows[j]!;
    }
    if (c > 0) addSource(b.then, sub, chosen, c);
    rows = rest;
    count = r;
  }
  if (e.otherwise && count > 0) {
    const sub = count === n ? batch : takeBatch(batch, rows, count);
    const all = new Int32Array(count);
    for (let j = 0; j < count; j++) all[j] = j;
    addSource(e.otherwise, sub, all, count);
  }
  return pickRows(sources, pick, type, n);
}

/**
 * Evaluates COALESCE over a batch: every argument over every row first; if
 * that raises an execution error, lazily as the CASE it stands for, so an
 * argument is only computed for rows that every earlier argument left NULL
 * (`coalesce(x, cast(s AS int))` fails only where it must, as in DuckDB).
 */
export function evaluateCoalesce(e: Extract<Expr, { type: "call" }>, batch: Batch, evaluate: Evaluate): ColumnVector {
  const type = exprType(e);
  try {
    return coalesce(e.args.map((a) => evaluate(a, batch)), type, batch.numRows);
  } catch (err) {
    if (!(err instanceof ExecutionError)) throw err;
    const asCase: CaseExpr = {
      type: "case",
      branches: e.args.slice(0, -1).map((a) => ({ when: { type: "isNull", expr: a, negated: true }, then: a })),
      otherwise: e.args[e.args.length - 1]!,
    };
    return lazyCase(asCase, batch, evaluate, type);
  }
}
