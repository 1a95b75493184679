/**
 * The one place an operator asks where to spill: the runtime's spill store when
 * `spill.enabled` is on and the runtime has one, else the RESOURCES_EXHAUSTED
 * error naming what could not grow and by how much.
 */
import { openSpillStore, type SpillStore } from "../io/spill-store.ts";
import type { TaskContext, TaskMemory } from "./task-context.ts";

export async function spillStoreFor(ctx: TaskContext, memory: TaskMemory, what: string, needed: number): Promise<SpillStore> {
  const store = ctx.config["spill.enabled"] ? await openSpillStore() : null;
  if (!store) throw memory.exhausted(what, needed);
  return store;
}
