/**
 * Cinder's error family. Every error a user can meet is a `CinderError` with a
 * stable string `code` (for programs), a message that says what was wrong,
 * where, and what to do (for people), and plain-data `details`. Errors are
 * recognised by a `Symbol.for` tag rather than `instanceof`, so the check
 * still works across copies of the library, Web Workers and HTTP, where
 * errors are rebuilt from `{ name, code, message, details }`.
 */

const CINDER_ERROR = Symbol.for("cinder.error");

/** Stable error codes. Programs switch on these; messages may change. */
export type ErrorCode =
  | "UNRESOLVED_COLUMN"
  | "AMBIGUOUS_REFERENCE"
  | "UNRESOLVED_TABLE"
  | "UNRESOLVED_FUNCTION"
  | "DATATYPE_MISMATCH"
  | "WRONG_ARGUMENT"
  | "INVALID_PLAN"
  | "PARSE_SYNTAX_ERROR"
  | "UNSUPPORTED"
  | "CORRUPT_PARQUET"
  | "IO_ERROR"
  | "ARITHMETIC_OVERFLOW"
  | "CAST_INVALID_INPUT"
  | "RESULT_TOO_LARGE"
  | "EXECUTOR_LOST"
  | "FETCH_FAILED"
  | "TASK_FAILED"
  | "JOB_ABORTED"
  /** The driver killed a running task: its job was cancelled or failed (Spark's TaskKilled). */
  | "TASK_KILLED"
  /** A task ran longer than `task.timeout` and was killed (a failure that is retried). */
  | "TASK_TIMEOUT"
  /** An operator needed more memory than its task's share and had nowhere to spill. */
  | "RESOURCES_EXHAUSTED"
  | "NOT_SERIALIZABLE"
  /** An unknown config key, or a value the key cannot take. */
  | "INVALID_CONFIG"
  /** An edge executor refused a request's job token (missing, forged, expired, another executor's or job's). */
  | "UNAUTHORIZED"
  /** A request body over an edge executor's limit. */
  | "PAYLOAD_TOO_LARGE"
  /** No such route on an edge executor. */
  | "NOT_FOUND"
  /** An edge executor holds no block of that id. */
  | "BLOCK_NOT_FOUND"
  | "INTERNAL";

/** Plain-data form of an error, as it crosses a worker or HTTP boundary. */
export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  stack?: string;
}

/**
 * Base class of every Cinder error.
 *
 * @example
 * try { df.select("nope"); } catch (e) {
 *   if (CinderError.is(e) && e.code === "UNRESOLVED_COLUMN") console.log(e.details);
 * }
 */
export class CinderError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly [CINDER_ERROR] = true;

  constructor(code: ErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }

  /** True for any Cinder error, even one made by another copy of the library. */
  static is(value: unknown): value is CinderError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CINDER_ERROR] === true;
  }

  toJSON(): SerializedError {
    return { name: this.name, code: this.code, message: this.message, details: this.details, stack: this.stack };
  }

  /** Rebuilds an error of the right class from its plain-data form. */
  static fromJSON(data: SerializedError): CinderError {
    const ctor = ERROR_CLASSES[data.name] ?? CinderError;
    const error = Object.create(ctor.prototype) as CinderError;
    Object.assign(error, { name: data.name, code: data.code, message: data.message, details: data.details ?? {} });
    (error as { [CINDER_ERROR]: boolean })[CINDER_ERROR] = true;
    if (data.stack) error.stack = data.stack;
    return error;
  }
}

/** A query refers to something that does not exist or does not type-check. */
export class AnalysisError extends CinderError {}

/** SQL text could not be parsed; `details` holds `line` and `column` (1-based). */
export class ParseError extends CinderError {
  constructor(message: string, readonly line: number, readonly column: number, excerpt: string) {
    super("PARSE_SYNTAX_ERROR", `${message} (line ${line}, column ${column})\n${excerpt}`, { details: { line, column } });
  }
}

/** A failure while running a plan (bad data, overflow, invalid cast). */
export class ExecutionError extends CinderError {}

/** A file or remote source could not be read or decoded. */
export class IOError extends CinderError {}

/** The result of a job exceeds `maxResultSize`. */
export class ResultTooLargeError extends CinderError {}

/** An executor stopped answering; its tasks and blocks are gone. */
export class ExecutorLostError extends CinderError {}

/** A reducer could not fetch a shuffle block; the parent stage must rerun. */
export class FetchFailedError extends CinderError {}

/** A feature that Cinder does not (yet) support. */
export class UnsupportedError extends CinderError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("UNSUPPORTED", message, { details });
  }
}

/** A broken invariant inside Cinder: a bug, please report it. */
export class InternalError extends CinderError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("INTERNAL", `internal error (this is a bug in Cinder, please report it): ${message}`, { details });
  }
}

const ERROR_CLASSES: Record<string, new (...args: never[]) => CinderError> = {
  CinderError, AnalysisError, ParseError, ExecutionError, IOError, ResultTooLargeError,
  ExecutorLostError, FetchFailedError, UnsupportedError, InternalError,
};

/** Registers a subclass so `CinderError.fromJSON` rebuilds it by name. */
export function registerErrorClass(ctor: new (...args: never[]) => CinderError): void {
  ERROR_CLASSES[ctor.name] = ctor;
}

/** Edit distance, used to suggest close names in "unknown column" errors. */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const lower = name.toLowerCase();
  return candidates
    .map((c) => ({ c, d: levenshtein(lower, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 2)))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map(({ c }) => c);
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}
