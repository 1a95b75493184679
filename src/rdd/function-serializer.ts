/**
 * Turns a user's RDD function into what a task carries (its source plus
 * the values of the outside names it uses), at submission time on the
 * driver. A function that uses an outside variable the caller did not pass
 * fails here, before any task runs, with `NotSerializableError` naming the
 * variable and saying how to pass it: in the function's `env` argument, as
 * a broadcast, or by creating it inside `mapPartitions`.
 */
import { CinderError, UnsupportedError, registerErrorClass } from "../common/errors.ts";
import type { FunctionBinding, SerializedFunction } from "../physical/operators/rdd-function.ts";
import { BUNDLER_HELPERS } from "../physical/operators/rdd-function.ts";
import { encodeValue } from "../physical/operators/rdd-value-codec.ts";
import { Broadcast } from "./broadcast.ts";
import { KNOWN_GLOBALS, freeVariables, parseFunctionSource } from "./closure-check.ts";

/** A function uses state that cannot be carried to executors (Spark's NotSerializableException). */
export class NotSerializableError extends CinderError {}
registerErrorClass(NotSerializableError);

/**
 * Values for the outside names an RDD function uses: plain data (numbers,
 * strings, arrays, plain objects, Map, Set, Date), helper functions (shipped
 * as source, checked the same way) and broadcasts.
 *
 * @example rdd.map((x) => x * factor + offset(x), { factor: 3, offset: (x: number) => x % 2 })
 */
export type FunctionEnv = Readonly<Record<string, unknown>>;

type AnyFunction = (...args: never[]) => unknown;

/**
 * The shippable form of `fn`, for the operation named `operation` (`"map"`, `"reduceByKey"`, ...).
 *
 * @example serializeFunction((x: number) => x + 1, undefined, "map") // { source: "(x) => x + 1", bindings: [] }
 */
export function serializeFunction(fn: AnyFunction, env: FunctionEnv | undefined, operation: string, seen: Set<AnyFunction> = new Set(), helper?: string): SerializedFunction {
  const what = helper ? `helper '${helper}' of the ${operation} function` : `the function passed to ${operation}`;
  if (typeof fn !== "function") {
    throw new CinderError("WRONG_ARGUMENT", `${operation} expects a function, got ${typeof fn}`, { details: { operation } });
  }
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    // A standard global (Number, String, Boolean, ...) is shipped by name; other native or bound functions have no source.
    if (KNOWN_GLOBALS.has(fn.name) && (globalThis as Record<string, unknown>)[fn.name] === fn) return { source: fn.name, bindings: [] };
    throw new NotSerializableError("NOT_SERIALIZABLE",
      `${what} (${fn.name || "anonymous"}) is native or bound, so it has no source to ship to executors; wrap it in an arrow function, e.g. (x) => ${fn.name || "f"}(x)`,
      { details: { operation, function: fn.name } });
  }
  const shape = parseFunctionSource(source);
  if (!shape) {
    throw new NotSerializableError("NOT_SERIALIZABLE", `the source of ${what} could not be parsed, so it cannot be shipped to executors: ${snippet(source)}`,
      { details: { operation, source: snippet(source) } });
  }
  if (shape.fn.async) {
    throw new UnsupportedError(`${what} is async; RDD functions run synchronously inside tasks, so pass a plain function`, { operation });
  }
  const free = freeVariables(shape.fn).filter((n) => !KNOWN_GLOBALS.has(n) && !BUNDLER_HELPERS.includes(n));
  const missing = free.filter((n) => !(env && Object.hasOwn(env, n)));
  if (missing.length > 0) throw notSerializable(what, operation, missing, source);
  seen.add(fn);
  const bindings = free.map((name): FunctionBinding => bind(name, env!, operation, seen));
  seen.delete(fn);
  return { source: shape.expression, bindings };
}

/** A helper function is checked against the same env, so `{ helper, table }` serves a helper that reads `table`. */
function bind(name: string, env: FunctionEnv, operation: string, seen: Set<AnyFunction>): FunctionBinding {
  const value = env[name];
  if (Broadcast.is(value)) return { name, kind: "broadcast", tableId: value.id, sizeBytes: value.sizeBytes };
  if (typeof value === "function") {
    if (seen.has(value as AnyFunction)) {
      throw new NotSerializableError("NOT_SERIALIZABLE",
        `helper '${name}' of the ${operation} function refers to itself through the env; declare it as a named function expression (function ${name}(...) { ... }) so it can call itself`,
        { details: { operation, variable: name } });
    }
    return { name, kind: "function", fn: serializeFunction(value as AnyFunction, env, operation, seen, name) };
  }
  const problem = unshippable(value, name);
  if (problem) {
    throw new NotSerializableError("NOT_SERIALIZABLE",
      `'${name}', passed with the ${operation} function, cannot be shipped to executors: ${problem}; pass plain data (numbers, strings, arrays, plain objects, Map, Set, Date), a function, or a broadcast, or create it inside mapPartitions`,
      { details: { operation, variable: name } });
  }
  return { name, kind: "value", encoded: encodeValue(value) };
}

/** Why `value` would not arrive intact on an executor (null when it would). */
function unshippable(value: unknown, path: string): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "string": case "number": case "boolean": case "bigint": return null;
    case "function": return `${path} is a function inside a value (only a top-level env entry may be a function)`;
    case "symbol": return `${path} is a symbol`;
  }
  if (value instanceof Date) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) { const p = unshippable(value[i], `${path}[${i}]`); if (p) return p; }
    return null;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) { const p = unshippable(k, `${path} key`) ?? unshippable(v, `${path}.get(${String(k)})`); if (p) return p; }
    return null;
  }
  if (value instanceof Set) {
    for (const v of value) { const p = unshippable(v, `${path} element`); if (p) return p; }
    return null;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) {
    return `${path} is an instance of ${(value as object).constructor?.name ?? "a class"}, which would arrive without its methods`;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) { const p = unshippable(v, `${path}.${k}`); if (p) return p; }
  return null;
}

function notSerializable(what: string, operation: string, names: string[], source: string): NotSerializableError {
  const list = names.map((n) => `'${n}'`).join(", ");
  const first = names[0]!;
  return new NotSerializableError("NOT_SERIALIZABLE",
    `${what} uses ${list} from outside the function, which Cinder cannot ship to executors (Spark's NotSerializableException: JavaScript cannot read a closure's captured values). ` +
    `Pass ${names.length > 1 ? "them" : "it"} with the function, as data or a helper function: rdd.${operation}(fn, { ${names.join(", ")} }); ` +
    `for a large value pass a broadcast (const ${first} = session.broadcast(value), then read ${first}.value inside); or create ${names.length > 1 ? "them" : "it"} inside mapPartitions. Function: ${snippet(source)}`,
    { details: { operation, variables: names, variable: first } });
}

function snippet(source: string): string {
  const s = source.replace(/\s+/g, " ");
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
