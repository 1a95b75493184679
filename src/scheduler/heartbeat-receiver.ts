/**
 * HeartbeatReceiver, as Spark's: asks every live executor for a heartbeat
 * every `intervalMs` and declares one lost when none has come back for
 * `timeoutMs` (Spark's `spark.network.timeout`, 120 s). Worker exit and
 * error events already report a crash; this catches the executor that is
 * alive but never answers — a user function stuck in a loop, a runtime that
 * froze — which would otherwise hang its job for ever. A worker's JS thread
 * answers only between tasks' synchronous slices, so a busy executor is
 * silent while it computes: the timeout must be far longer than any slice.
 */
import type { Executor } from "../executor/executor.ts";

export interface HeartbeatOptions {
  intervalMs: number;
  timeoutMs: number;
}

export class HeartbeatReceiver {
  private readonly lastSeen = new Map<string, number>();
  private readonly waiting = new Set<string>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly executors: () => readonly Executor[],
    /** Called once for an executor that stopped answering (the cluster kills it, which reports it lost). */
    private readonly expire: (executorId: string, reason: string) => void,
    private readonly options: HeartbeatOptions,
  ) {}

  start(): void {
    if (this.timer !== null || !(this.options.intervalMs > 0)) return;
    this.timer = setInterval(() => this.check(Date.now()), this.options.intervalMs);
    // Never what keeps a Node process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round: expire the silent, then ask everyone not already asked. */
  check(now: number): void {
    for (const e of this.executors()) {
      if (!e.isAlive) { this.lastSeen.delete(e.id); this.waiting.delete(e.id); continue; }
      const seen = this.lastSeen.get(e.id);
      if (seen === undefined) this.lastSeen.set(e.id, now);
      else if (now - seen > this.options.timeoutMs) {
        this.lastSeen.delete(e.id);
        this.expire(e.id, `no heartbeat for ${now - seen} ms (network.timeout is ${this.options.timeoutMs} ms): the executor is hung, for example in a user function that never returns`);
        continue;
      }
      // One request in flight per executor: a silent one is not sent a pile of them.
      if (this.waiting.has(e.id)) continue;
      this.waiting.add(e.id);
      e.heartbeat().then(
        () => { this.waiting.delete(e.id); if (e.isAlive) this.lastSeen.set(e.id, Date.now()); },
        () => { this.waiting.delete(e.id); },
      );
    }
  }
}
