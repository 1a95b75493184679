/**
 * The liveness of one executor as its backend sees it: a `lost` promise
 * that resolves once with the reason, and `guard`, which makes any pending
 * call on the executor reject with `ExecutorLostError` the moment it is
 * lost. Without it a call to a terminated worker would never settle.
 */
import { ExecutorLostError } from "../common/errors.ts";

export class Lifeline {
  readonly lost: Promise<string>;
  private markLost!: (reason: string) => void;
  private reason: string | null = null;
  private readonly rejecters = new Set<(e: unknown) => void>();

  constructor(readonly executorId: string) {
    this.lost = new Promise<string>((resolve) => { this.markLost = resolve; });
  }

  get isAlive(): boolean { return this.reason === null; }

  /** Marks the executor lost (idempotent) and fails every guarded call in flight. */
  die(reason: string): void {
    if (this.reason !== null) return;
    this.reason = reason;
    this.markLost(reason);
    const error = this.error();
    for (const reject of this.rejecters) reject(error);
    this.rejecters.clear();
  }

  error(): ExecutorLostError {
    return new ExecutorLostError("EXECUTOR_LOST", `executor ${this.executorId} is lost (${this.reason ?? "unknown"}); its running tasks are retried elsewhere and its blocks recomputed`,
      { details: { executorId: this.executorId, reason: this.reason } });
  }

  guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.reason !== null) return Promise.reject(this.error());
    return new Promise<T>((resolve, reject) => {
      this.rejecters.add(reject);
      call().then(resolve, reject).finally(() => this.rejecters.delete(reject));
    });
  }
}
