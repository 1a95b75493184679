/**
 * The listener bus: one place where job, stage, task and executor events
 * are published, in the order the scheduler produced them. Listeners are
 * called synchronously; one that throws is reported to the console and
 * never breaks scheduling.
 */
import type { CinderEvent } from "../common/events.ts";

export type Listener = (event: CinderEvent) => void;

export class ListenerBus {
  private readonly listeners = new Set<Listener>();

  /** Adds a listener; returns a function that removes it. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  post(event: CinderEvent): void {
    for (const l of this.listeners) {
      try { l(event); } catch (e) { console.error("cinder: a listener threw while handling", event.type, e); }
    }
  }
}

/** Records every event (tests and the CLI read it back). */
export class EventLog {
  readonly events: CinderEvent[] = [];
  constructor(bus: ListenerBus) { bus.on((e) => { this.events.push(e); }); }

  of<T extends CinderEvent["type"]>(type: T): Extract<CinderEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<CinderEvent, { type: T }> => e.type === type);
  }

  clear(): void { this.events.length = 0; }
}
