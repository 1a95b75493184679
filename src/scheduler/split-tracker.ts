/**
 * Which executor read each split of an opened file source (Spark's
 * preferred locations for input splits). An executor keeps what it read —
 * the file's footer, and for bytes shipped to it the bytes themselves — so
 * a later job's task for that split prefers it, for up to `locality.wait`.
 */
export class SplitTracker {
  // table id (scanTableId) -> split -> executor id
  private readonly holders = new Map<string, Map<number, string>>();

  put(table: string, split: number, executorId: string): void {
    let m = this.holders.get(table);
    if (!m) this.holders.set(table, m = new Map());
    m.set(split, executorId);
  }

  /** The executor that read split `split` of `table` last, or null. */
  holder(table: string, split: number): string | null {
    return this.holders.get(table)?.get(split) ?? null;
  }

  /** Forgets every split `executorId` held (it was lost). */
  removeExecutor(executorId: string): void {
    for (const m of this.holders.values()) for (const [s, e] of m) if (e === executorId) m.delete(s);
  }
}
