/**
 * An action that is running and can be cancelled: Spark's FutureAction
 * (what `collectAsync` returns there). Awaiting it gives the action's
 * result; `cancel()` fails it with JOB_ABORTED, launches none of its
 * remaining tasks and kills the running ones at their next batch.
 */
import type { RunOptions } from "../common/cancellation.ts";

/**
 * @example
 * const job = df.groupBy("k").count().collectAsync();
 * cancelButton.onclick = () => job.cancel("the user pressed Cancel");
 * const rows = await job; // JOB_ABORTED once cancelled
 */
export class FutureAction<T> implements PromiseLike<T> {
  private readonly controller = new AbortController();
  private readonly result: Promise<T>;

  /** Starts `run` now, with a signal that `cancel()` (or `options.signal`, when given) aborts. */
  constructor(run: (options: RunOptions) => Promise<T>, options: RunOptions = {}) {
    const outer = options.signal;
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener("abort", () => this.controller.abort(outer.reason), { once: true });
    this.result = run({ signal: this.controller.signal });
    // A cancelled action nobody awaits is not an unhandled rejection; awaiting it still throws.
    this.result.catch(() => undefined);
  }

  /** Cancels the action; awaiting it then throws JOB_ABORTED with `reason`. Cancelling a finished action does nothing. */
  cancel(reason = "cancelled by the user"): void {
    this.controller.abort(reason);
  }

  /** True once `cancel()` was called (or the outer signal aborted). */
  get isCancelled(): boolean { return this.controller.signal.aborted; }

  then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.result.then(onfulfilled, onrejected);
  }
}
