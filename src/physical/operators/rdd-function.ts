/**
 * A user function of the RDD API as it travels inside a task: its source
 * text plus the values of the names it is allowed to refer to (checked on
 * the driver, see src/rdd/closure-check.ts), and the executor-side compile
 * step that turns it back into a callable once per task. No closure ever
 * crosses a worker boundary; only this plain data does.
 */
import { CinderError, registerErrorClass } from "../../common/errors.ts";
import { decodeValue } from "./rdd-value-codec.ts";

/** A function shipped as source. */
export interface SerializedFunction {
  /** JavaScript source of an expression whose value is the function (an arrow, a function expression, a global's name). */
  source: string;
  /** The free names of `source` that are not standard globals, with their values. */
  bindings: FunctionBinding[];
}

export type FunctionBinding =
  /** A plain value, encoded with the RDD value codec. */
  | { name: string; kind: "value"; encoded: string }
  /** A broadcast variable: read on the executor from the memory table `tableId`, seen as `{ value }`. */
  | { name: string; kind: "broadcast"; tableId: string; sizeBytes: number }
  /** A helper function, itself shipped as source. */
  | { name: string; kind: "function"; fn: SerializedFunction };

/** A user's RDD function threw while a task ran it; `details` name the operation and partition. */
export class UserFunctionError extends CinderError {}
registerErrorClass(UserFunctionError);

/** The runtime forbids compiling code from strings (workerd, a page under a CSP without 'unsafe-eval'). */
export class CodeGenerationError extends CinderError {}
registerErrorClass(CodeGenerationError);

/** Broadcast values of one task, by memory-table id. */
export type BroadcastValues = ReadonlyMap<string, unknown>;

/**
 * esbuild (tsx, bundlers with keepNames) rewrites named inner functions as
 * `__name(fn, "fn")` calls to a helper defined at the top of the bundle, so
 * shipped source may call it; an identity stands in for it on executors.
 */
export const BUNDLER_HELPERS: readonly string[] = ["__name"];
const keepName = <T>(target: T): T => target;

/**
 * Compiles `fn` into a callable. Done once per task, not per row.
 *
 * Why `new Function`: it is synchronous and behaves the same in Node worker
 * threads and in browser Web Workers, and the code it builds sees only
 * globals plus the parameters we pass — exactly the bindings the driver
 * checked — never this module's scope (which `eval` would expose). Dynamic
 * `import()` of a `data:`/`blob:` URL was the alternative: it is async,
 * Node cannot import `blob:` URLs, every distinct function would stay in the
 * module cache for good, and it is forbidden by the same policies anyway.
 * Runtimes that forbid code generation (workerd, CSP without
 * 'unsafe-eval') throw an EvalError here, which becomes a typed
 * `CodeGenerationError` (code UNSUPPORTED, so the job fails at once rather
 * than retrying). The DataFrame engine never reaches this function: it is
 * only for functions a user handed to the RDD API.
 */
export function compileFunction(fn: SerializedFunction, broadcasts: BroadcastValues, label: string): (...args: unknown[]) => unknown {
  const names = fn.bindings.map((b) => b.name);
  const values = fn.bindings.map((b): unknown => {
    switch (b.kind) {
      case "value": return decodeValue(b.encoded);
      case "broadcast": return Object.freeze({ value: broadcasts.get(b.tableId) });
      case "function": return compileFunction(b.fn, broadcasts, `${label} (helper '${b.name}')`);
    }
  });
  const helpers = BUNDLER_HELPERS.filter((h) => !names.includes(h));
  let factory: (...args: unknown[]) => unknown;
  try {
    // The newline before ")" keeps a trailing line comment in the source from swallowing the parenthesis.
    factory = new Function(...names, ...helpers, `"use strict";\nreturn (${fn.source}\n);`) as (...args: unknown[]) => unknown;
  } catch (e) {
    const name = (e as { name?: string } | null)?.name;
    if (name === "EvalError") {
      throw new CodeGenerationError("UNSUPPORTED",
        `this runtime forbids compiling code from strings (as edge runtimes such as workerd do), so this executor cannot run the ${label} function of an RDD; run RDD jobs where code generation is allowed (Node, worker threads, Web Workers of a page without a CSP that forbids 'unsafe-eval'), or use the DataFrame API, which needs none`,
        { details: { operation: label }, cause: e });
    }
    throw new UserFunctionError("TASK_FAILED", `the ${label} function could not be compiled on the executor: ${e instanceof Error ? e.message : String(e)}`,
      { details: { operation: label, source: fn.source.slice(0, 200) }, cause: e });
  }
  const compiled = factory(...values, ...helpers.map(() => keepName));
  if (typeof compiled !== "function") {
    throw new UserFunctionError("TASK_FAILED", `the ${label} source did not evaluate to a function`, { details: { operation: label, source: fn.source.slice(0, 200) } });
  }
  return compiled as (...args: unknown[]) => unknown;
}
