/**
 * What the driver and an edge executor agree on besides the wire format:
 * the task request, how long a token lives, and how an error crosses as
 * JSON (class name, code, message and details; never a stack).
 */
import { CinderError } from "../../common/errors.ts";
import type { SerializedError } from "../../common/errors.ts";
import type { TaskDescription } from "../../executor/task.ts";

/** A job token's lifetime: long enough for one task or fetch, short enough that a leaked one soon is useless. */
export const TOKEN_TTL_MS = 10 * 60_000;

/** The body of `POST /v1/tasks`: the task, and where every executor of the cluster is (for its shuffle reads). */
export interface TaskRequest {
  task: TaskDescription;
  peers: Record<string, string>;
}

/** An error as an edge executor answers it. */
export function errorBody(err: unknown): { error: SerializedError } {
  if (CinderError.is(err)) {
    const { stack: _stack, ...rest } = err.toJSON();
    return { error: rest };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { error: { name: e.name, code: "TASK_FAILED", message: e.message } };
}

/** 4xx for what the request got wrong (a bad plan, bad input), 500 for a task that failed while running. */
export function statusOf(err: unknown): 400 | 422 | 500 {
  if (!CinderError.is(err)) return 500;
  if (err.name === "AnalysisError" || err.name === "ParseError") return 400;
  return 422;
}
