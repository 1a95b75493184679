/**
 * Timing for benchmarks on a shared machine: contenders run interleaved,
 * one of each per round, so load from other processes drifting over time
 * slows all of them alike and the ratios stay meaningful; each figure is a
 * median. The machine's load averages are printed with the figures because
 * they say how much to trust the absolute times.
 */
import { loadavg } from "node:os";

/** Median wall and CPU (user + system, this process) milliseconds of one contender. */
export interface Timing { wall: number; cpu: number }

/**
 * Runs `warmups + rounds` rounds of every contender in turn; `check` sees
 * each result (warm-ups included) and throws if it is wrong, so a fast wrong
 * answer cannot pass. Returns each contender's median timing, by name.
 */
export async function interleavedMedians<T>(
  rounds: number,
  warmups: number,
  contenders: Record<string, () => T | Promise<T>>,
  check: (name: string, result: T) => void,
): Promise<Record<string, Timing>> {
  const samples: Record<string, Timing[]> = {};
  for (let r = 0; r < warmups + rounds; r++) {
    for (const [name, run] of Object.entries(contenders)) {
      const c0 = process.cpuUsage(), t0 = performance.now();
      const result = await run();
      const wall = performance.now() - t0, c = process.cpuUsage(c0);
      check(name, result);
      if (r >= warmups) (samples[name] ??= []).push({ wall, cpu: (c.user + c.system) / 1000 });
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return Object.fromEntries(Object.entries(samples).map(([name, ts]) => [name, { wall: median(ts.map((t) => t.wall)), cpu: median(ts.map((t) => t.cpu)) }]));
}

/** `uptime`'s three load averages, for the record printed with the figures. */
export function loadAverages(): string {
  return loadavg().map((l) => l.toFixed(2)).join(", ");
}

/** "cinder/peer 0.412 (2.4x faster)" or "(1.3x slower)", from median wall times. */
export function ratio(cinder: number, peer: number): string {
  const r = cinder / peer;
  return `${r.toFixed(3)} (${r <= 1 ? `${(1 / r).toFixed(1)}x faster` : `${r.toFixed(1)}x slower`})`;
}

/** "1M", "10M", "100K", or the plain count below a thousand. */
export function sizeLabel(rows: number): string {
  return rows >= 1_000_000 ? `${rows / 1_000_000}M` : rows >= 1000 ? `${rows / 1000}K` : `${rows}`;
}
