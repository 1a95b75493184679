/**
 * Cancelling a query with an AbortSignal. The DAGScheduler fails the job,
 * launches none of its remaining tasks and asks the executors to kill the
 * running ones; a task (and the local engine) stops at the next batch
 * its pipeline reads (src/physical/interruptible.ts), since no JavaScript
 * thread can be preempted.
 */
import { CinderError } from "./errors.ts";
import type { CinderEvent } from "./events.ts";

/** How one action runs. */
export interface RunOptions {
  /**
   * Aborting it fails the query with JOB_ABORTED, starts none of its remaining tasks and kills the running ones.
   * @example const c = new AbortController(); setTimeout(() => c.abort(), 1000); await df.collect({ signal: c.signal });
   */
  signal?: AbortSignal;
}

/** @internal What a session asks of a backend's run beyond RunOptions: each stage of the job as it is submitted (for `explain("analyze")`). */
export interface BackendRunOptions extends RunOptions {
  onStageSubmitted?: (event: Extract<CinderEvent, { type: "StageSubmitted" }>) => void;
}

/** What an aborted signal says, for the JOB_ABORTED message. */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error && r.name !== "AbortError" && r.name !== "TimeoutError") return r.message;
  if (r instanceof Error && r.name === "TimeoutError") return "the signal's timeout passed";
  return typeof r === "string" ? r : "the signal was aborted";
}

function cancelled(signal: AbortSignal, what: string): CinderError {
  return new CinderError("JOB_ABORTED", `${what} was cancelled: ${abortReason(signal)}`, { details: { cancelled: true } });
}

/** Throws JOB_ABORTED when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what = "the query"): void {
  if (signal?.aborted) throw cancelled(signal, what);
}

/** `work`, or JOB_ABORTED as soon as the signal aborts (whatever of the work still runs is ignored). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, what = "the query"): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => { work.catch(() => undefined); reject(cancelled(signal, what)); };
    if (signal.aborted) { onAbort(); return; }
    signal.addEventListener("abort", onAbort, { once: true });
    const off = () => signal.removeEventListener("abort", onAbort);
    work.then((v) => { off(); resolve(v); }, (e: unknown) => { off(); reject(e); });
  });
}
