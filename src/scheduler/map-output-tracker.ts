/**
 * MapOutputTracker: for every shuffle, which executor holds each map task's
 * output and how many bytes it wrote for each reduce partition (its
 * MapStatus). Reducers get locations from here at launch; losing an
 * executor forgets exactly its outputs, which is what makes only the lost
 * map partitions rerun.
 */
export interface MapStatus {
  executorId: string;
  /** Bytes per reduce partition. */
  sizes: number[];
}

export class MapOutputTracker {
  private readonly shuffles = new Map<number, (MapStatus | null)[]>();

  registerShuffle(shuffleId: number, numMaps: number): void {
    if (!this.shuffles.has(shuffleId)) this.shuffles.set(shuffleId, new Array<MapStatus | null>(numMaps).fill(null));
  }

  registerMapOutput(shuffleId: number, mapIndex: number, status: MapStatus): void {
    const outputs = this.shuffles.get(shuffleId);
    if (outputs) outputs[mapIndex] = status;
  }

  /** Forgets one map output (a reducer could not fetch it). */
  unregisterMapOutput(shuffleId: number, mapIndex: number, executorId?: string | null): void {
    const outputs = this.shuffles.get(shuffleId);
    const s = outputs?.[mapIndex];
    if (outputs && s && (executorId == null || s.executorId === executorId)) outputs[mapIndex] = null;
  }

  /** Forgets every output held by `executorId`; returns what was lost. */
  removeOutputsOnExecutor(executorId: string): { shuffleId: number; mapIndex: number }[] {
    const lost: { shuffleId: number; mapIndex: number }[] = [];
    for (const [shuffleId, outputs] of this.shuffles) {
      outputs.forEach((s, mapIndex) => {
        if (s?.executorId === executorId) { outputs[mapIndex] = null; lost.push({ shuffleId, mapIndex }); }
      });
    }
    return lost;
  }

  /** True when `executorId` holds an output of a registered shuffle. */
  holdsOutputOn(executorId: string): boolean {
    for (const outputs of this.shuffles.values()) if (outputs.some((s) => s?.executorId === executorId)) return true;
    return false;
  }

  unregisterShuffle(shuffleId: number): void {
    this.shuffles.delete(shuffleId);
  }

  /** Map indices with no output yet. */
  missing(shuffleId: number): number[] {
    const out: number[] = [];
    (this.shuffles.get(shuffleId) ?? []).forEach((s, i) => { if (s === null) out.push(i); });
    return out;
  }

  isAvailable(shuffleId: number): boolean {
    const outputs = this.shuffles.get(shuffleId);
    return outputs !== undefined && outputs.every((s) => s !== null);
  }

  locations(shuffleId: number): (string | null)[] {
    return (this.shuffles.get(shuffleId) ?? []).map((s) => s?.executorId ?? null);
  }

  /** Bytes of reduce partition `reduceIndex` in each map output, by map index (0 for a missing one). */
  mapSizes(shuffleId: number, reduceIndex: number): number[] {
    return (this.shuffles.get(shuffleId) ?? []).map((s) => s?.sizes[reduceIndex] ?? 0);
  }

  /** Bytes of reduce partition `reduceIndex` held by each executor. */
  bytesByExecutor(shuffleId: number, reduceIndex: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.shuffles.get(shuffleId) ?? []) {
      if (s) out.set(s.executorId, (out.get(s.executorId) ?? 0) + (s.sizes[reduceIndex] ?? 0));
    }
    return out;
  }
}
