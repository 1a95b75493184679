/** How the DAGScheduler tells errors apart: those worth a retry, those that end a job, and how each is reported. */
import { CinderError, registerErrorClass } from "../common/errors.ts";
import type { SerializedError } from "../common/errors.ts";

/** A job was given up: a stage or task failed too often, or it was cancelled. */
export class JobAbortedError extends CinderError {}
registerErrorClass(JobAbortedError);

/** Errors that rerunning cannot fix: the job fails at once with the error itself. */
export const DETERMINISTIC = new Set(["UNRESOLVED_COLUMN", "AMBIGUOUS_REFERENCE", "UNRESOLVED_TABLE", "UNRESOLVED_FUNCTION", "DATATYPE_MISMATCH",
  "WRONG_ARGUMENT", "INVALID_PLAN", "PARSE_SYNTAX_ERROR", "UNSUPPORTED", "ARITHMETIC_OVERFLOW", "CAST_INVALID_INPUT", "RESULT_TOO_LARGE", "NOT_SERIALIZABLE"]);

/** A task or job error as the listener bus carries it. */
export function serialize(e: unknown): SerializedError {
  if (CinderError.is(e)) return e.toJSON();
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, code: "TASK_FAILED", message: err.message, stack: err.stack };
}

/** One line naming an error, for failure reasons. */
export function reason(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

type Cancellation = { type: "StageCancelled"; stageId: number; reason: string } | { type: "JobCancelled"; jobId: number; reason: string } | { type: "AllJobsCancelled"; reason: string };

/** The JOB_ABORTED error a cancellation gives `job`, or null when it is not about this job. */
export function cancellationOf(job: { id: number; stages: readonly { id: number }[] }, e: Cancellation): JobAbortedError | null {
  switch (e.type) {
    case "StageCancelled":
      return job.stages.some((s) => s.id === e.stageId) ? new JobAbortedError("JOB_ABORTED", `job ${job.id} was cancelled: stage ${e.stageId} ${e.reason}`, { details: { stageId: e.stageId } }) : null;
    case "JobCancelled":
      return e.jobId === job.id ? new JobAbortedError("JOB_ABORTED", `job ${job.id} was cancelled: ${e.reason}`, { details: { cancelled: true } }) : null;
    case "AllJobsCancelled":
      return new JobAbortedError("JOB_ABORTED", `job ${job.id} was ${e.reason}`, { details: { cancelled: true } });
  }
}
