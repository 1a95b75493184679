/**
 * Where a running task notices it was killed. JavaScript cannot preempt a
 * thread, so a task stops at its next batch: every leaf of the pipeline
 * (a scan, a shuffle read) checks the task's signal after each batch it
 * yields, and every operator above pulls from leaves, so even a sort or a
 * hash build stops within one batch.
 *
 * A task that has computed for `YIELD_EVERY_MS` (or `YIELD_EVERY_BATCHES`,
 * for runtimes whose clock stands still while code runs, as workerd's does)
 * also gives way to the event loop once, so the message that kills it (a
 * worker's comlink call, an HTTP request, Ctrl-C, a timer) and heartbeats
 * get through during a long task instead of after it.
 */
import type { BatchStream } from "../exec/column-vector.ts";
import { CinderError } from "../common/errors.ts";
import { nextMacrotask } from "../common/macrotask.ts";

const YIELD_EVERY_MS = 50;
const YIELD_EVERY_BATCHES = 32;

export async function* interruptible(stream: BatchStream, signal: AbortSignal): BatchStream {
  let since = Date.now(), batches = 0;
  for await (const batch of stream) {
    if (++batches >= YIELD_EVERY_BATCHES || Date.now() - since >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => nextMacrotask(resolve));
      since = Date.now();
      batches = 0;
    }
    throwIfKilled(signal);
    yield batch;
  }
  throwIfKilled(signal);
}

/** Throws TASK_KILLED when the task's signal is aborted. */
export function throwIfKilled(signal: AbortSignal): void {
  if (!signal.aborted) return;
  const reason: unknown = signal.reason;
  throw new CinderError("TASK_KILLED", `the task was killed: ${typeof reason === "string" ? reason : reason instanceof Error ? reason.message : "its job ended"}`, { details: { killed: true } });
}
