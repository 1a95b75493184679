/**
 * Where the cached partitions of persisted RDDs live (the driver's part of
 * Spark's BlockManagerMaster for RDD blocks): one executor per partition,
 * with the block's size. The DAGScheduler reads it for task locality and
 * to tell tasks where to fetch a block; a lost executor's blocks are
 * forgotten, so the next job recomputes them from lineage.
 */

export interface CachedBlock {
  executorId: string;
  bytes: number;
  rows: number;
}

export class CacheTracker {
  private readonly rdds = new Map<number, (CachedBlock | undefined)[]>();

  /** Declares a persisted RDD of `numPartitions` partitions (keeps what is already known). */
  register(rddId: number, numPartitions: number): void {
    const known = this.rdds.get(rddId);
    if (!known || known.length !== numPartitions) this.rdds.set(rddId, new Array(numPartitions).fill(undefined));
  }

  has(rddId: number): boolean { return this.rdds.has(rddId); }

  put(rddId: number, partition: number, block: CachedBlock): void {
    const parts = this.rdds.get(rddId);
    if (parts && partition < parts.length) parts[partition] = block;
  }

  forget(rddId: number, partition: number): void {
    const parts = this.rdds.get(rddId);
    if (parts) parts[partition] = undefined;
  }

  /** Partitions not held by any executor. */
  missing(rddId: number): number[] {
    const parts = this.rdds.get(rddId);
    if (!parts) return [];
    return parts.flatMap((b, p) => (b ? [] : [p]));
  }

  /** The holder of each partition (null where none). */
  locations(rddId: number): (string | null)[] {
    return (this.rdds.get(rddId) ?? []).map((b) => b?.executorId ?? null);
  }

  blocks(rddId: number): (CachedBlock | undefined)[] {
    return [...(this.rdds.get(rddId) ?? [])];
  }

  /** Forgets every block an executor held; returns them as [rddId, partition]. */
  removeExecutor(executorId: string): [number, number][] {
    const lost: [number, number][] = [];
    for (const [rddId, parts] of this.rdds) parts.forEach((b, p) => { if (b?.executorId === executorId) { parts[p] = undefined; lost.push([rddId, p]); } });
    return lost;
  }

  unregister(rddId: number): void { this.rdds.delete(rddId); }

  /** True when `executorId` holds a cached block the driver knows of. */
  holdsBlockOn(executorId: string): boolean {
    for (const parts of this.rdds.values()) if (parts.some((b) => b?.executorId === executorId)) return true;
    return false;
  }
}
