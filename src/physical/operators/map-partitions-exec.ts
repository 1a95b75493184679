/**
 * MapPartitionsExec: runs the RDD API's user functions over one partition.
 * Its input's utf8 columns are decoded into JS elements lazily, pushed
 * through the fused steps (map, filter, flatMap, mapValues, mapPartitions,
 * the per-partition halves of reduceByKey and groupByKey, count, reduce,
 * take), and
 * the results are encoded back into utf8 columns in batches of
 * `batch.size`. User functions are compiled from their source once per
 * task; an exception they throw becomes a `UserFunctionError` naming the
 * operation, the partition and the original message.
 *
 * This operator works on per-element JS values by nature (the functions
 * are the user's); the DataFrame operators stay columnar.
 */
import type { PhysicalOf } from "../physical-plan.ts";
import type { TaskContext } from "../task-context.ts";
import type { BatchStream } from "../../exec/column-vector.ts";
import type { ExecuteChild } from "../operator.ts";
import type { Batch } from "../../exec/column-vector.ts";
import { isValidAt, stringAt, utf8FromStrings } from "../../exec/column-vector.ts";
import { CinderError } from "../../common/errors.ts";
import { decodeValue, encodeValue } from "./rdd-value-codec.ts";
import type { BroadcastValues, SerializedFunction } from "./rdd-function.ts";
import { UserFunctionError, compileFunction } from "./rdd-function.ts";
import type { RDDLayout, RDDStep } from "./rdd-steps.ts";

type Transform = (elements: Iterable<unknown>) => Iterable<unknown>;

export async function* mapPartitionsExec(node: PhysicalOf<"MapPartitionsExec">, partition: number, ctx: TaskContext, execute: ExecuteChild): BatchStream {
  const broadcasts = await readBroadcasts(node, execute);
  const transforms = node.steps.map((s) => compileStep(s, broadcasts, partition));
  // The partition's input stays encoded until a step pulls each element.
  const batches: Batch[] = [];
  for await (const b of execute(node.input, partition)) if (b.numRows > 0) batches.push(b);
  if (node.steps.length === 1 && node.steps[0]!.kind === "count") {
    // count() straight after a shuffle or a scan needs no element decoded.
    yield* encodeElements([batches.reduce((n, b) => n + b.numRows, 0)], node.outputLayout, 1);
    return;
  }
  let elements: Iterable<unknown> = decodeRows(batches, node.inputLayout);
  for (const t of transforms) elements = t(elements);
  yield* encodeElements(elements, node.outputLayout, Math.max(1, ctx.config["batch.size"]));
}

async function readBroadcasts(node: PhysicalOf<"MapPartitionsExec">, execute: ExecuteChild): Promise<BroadcastValues> {
  const values = new Map<string, unknown>();
  for (const scan of node.broadcasts) {
    if (scan.type !== "ScanExec" || scan.source.kind !== "memory") continue;
    for await (const b of execute(scan, 0)) {
      if (b.numRows > 0) values.set(scan.source.tableId, decodeValue(stringAt(b.columns[0]!, 0)));
    }
  }
  return values;
}

function cell(batch: Batch, column: number, row: number): unknown {
  const col = batch.columns[column]!;
  return isValidAt(col, row) ? decodeValue(stringAt(col, row)) : null;
}

function* decodeRows(batches: readonly Batch[], layout: RDDLayout): Generator<unknown> {
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      if (layout === "value") yield cell(b, 0, i);
      else if (layout === "pair") yield [cell(b, 0, i), cell(b, 1, i)];
      else yield [cell(b, 0, i), [cell(b, 1, i), cell(b, 3, i)]];
    }
  }
}

function* encodeElements(elements: Iterable<unknown>, layout: RDDLayout, batchRows: number): Generator<Batch> {
  let keys: string[] = [], values: string[] = [];
  const flush = (): Batch => {
    const columns = layout === "value" ? [utf8FromStrings(values)] : [utf8FromStrings(keys), utf8FromStrings(values)];
    const batch = { numRows: values.length, columns };
    keys = []; values = [];
    return batch;
  };
  for (const e of elements) {
    if (layout === "value") values.push(encodeValue(e));
    else {
      const [k, v] = asPair(e, "a shuffle by key");
      keys.push(encodeValue(k));
      values.push(encodeValue(v));
    }
    if (values.length >= batchRows) yield flush();
  }
  if (values.length > 0) yield flush();
}

function asPair(e: unknown, what: string): [unknown, unknown] {
  if (Array.isArray(e) && e.length === 2) return e as [unknown, unknown];
  throw new CinderError("WRONG_ARGUMENT",
    `${what} needs [key, value] pairs (arrays of length 2), but an element is ${preview(e)}; map the RDD to pairs first, e.g. rdd.map((x) => [x, 1])`,
    { details: { element: preview(e) } });
}

function preview(v: unknown): string {
  let s: string;
  try { s = encodeValue(v); } catch { s = String(v); }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The step's label in errors: its kind and the start of its function's source. */
function labelOf(kind: string, fn: SerializedFunction): string {
  const src = fn.source.replace(/\s+/g, " ");
  return `${kind} (${src.length > 60 ? `${src.slice(0, 57)}...` : src})`;
}

function userError(label: string, partition: number, e: unknown): unknown {
  if (CinderError.is(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new UserFunctionError("TASK_FAILED", `the ${label} function threw on partition ${partition}: ${message}`,
    { details: { operation: label, partition, error: message, errorName: e instanceof Error ? e.name : typeof e }, cause: e });
}

function compileStep(step: RDDStep, broadcasts: BroadcastValues, partition: number): Transform {
  if (step.kind === "groupByKey") return groupByKey;
  if (step.kind === "count") return function* (it) { let n = 0; for (const _ of it) n++; yield n; };
  if (step.kind === "take") {
    const n = step.n;
    return function* (it) {
      if (n <= 0) return;
      let i = 0;
      for (const x of it) { yield x; if (++i >= n) return; }
    };
  }
  const label = labelOf(step.kind, step.fn);
  const raw = compileFunction(step.fn, broadcasts, label);
  // Fixed arities: a rest-parameter wrapper would allocate an array per element.
  const call = (x: unknown): unknown => {
    try { return raw(x); } catch (e) { throw userError(label, partition, e); }
  };
  const call2 = (a: unknown, b: unknown): unknown => {
    try { return raw(a, b); } catch (e) { throw userError(label, partition, e); }
  };
  switch (step.kind) {
    case "map": return function* (it) { for (const x of it) yield call(x); };
    case "filter": return function* (it) { for (const x of it) if (call(x)) yield x; };
    case "mapValues": return function* (it) { for (const x of it) { const [k, v] = asPair(x, "mapValues"); yield [k, call(v)]; } };
    case "flatMap": return function* (it) { for (const x of it) yield* guardedIterable(call(x), label, partition); };
    case "mapPartitions": return (it) => guardedIterable(call(it), label, partition);
    case "reduceByKey": return function* (it) {
      const merged = new Map<string, [unknown, unknown]>();
      for (const x of it) {
        const [k, v] = asPair(x, "reduceByKey");
        const key = encodeValue(k);
        const entry = merged.get(key);
        if (entry) entry[1] = call2(entry[1], v);
        else merged.set(key, [k, v]);
      }
      yield* merged.values();
    };
    case "reduce": return function* (it) {
      let acc: unknown, any = false;
      for (const x of it) { acc = any ? call2(acc, x) : x; any = true; }
      if (any) yield acc;
    };
  }
}

function* groupByKey(it: Iterable<unknown>): Generator<unknown> {
  const groups = new Map<string, [unknown, unknown[]]>();
  for (const x of it) {
    const [k, v] = asPair(x, "groupByKey");
    const key = encodeValue(k);
    const group = groups.get(key);
    if (group) group[1].push(v);
    else groups.set(key, [k, [v]]);
  }
  yield* groups.values();
}

/** Iterates what a user function returned; errors thrown while iterating it (a user generator) are the function's. */
function* guardedIterable(result: unknown, label: string, partition: number): Generator<unknown> {
  if (result === null || typeof result !== "object" || typeof (result as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new UserFunctionError("TASK_FAILED", `the ${label} function must return an iterable (an array or a generator), but returned ${preview(result)} on partition ${partition}`,
      { details: { operation: label, partition } });
  }
  const iterator = (result as Iterable<unknown>)[Symbol.iterator]();
  for (;;) {
    let r: IteratorResult<unknown>;
    try { r = iterator.next(); } catch (e) { throw userError(label, partition, e); }
    if (r.done) return;
    yield r.value;
  }
}
