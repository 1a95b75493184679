/**
 * How much of two cores the machine gives right now, for reading the
 * 1 -> 2 executor figures: times a fixed loop on one worker thread alone,
 * then on two at once, for a CPU-bound loop (integer math in registers)
 * and a memory-bound one (random read-modify-writes over 3 MB per thread,
 * the access pattern of a hash aggregation with 200K groups). A ratio of
 * 1.0 means the second thread costs the first nothing; 2.0 means it got no
 * core (or no memory bandwidth) of its own, and a 2x speedup cannot show.
 *
 * Run: `npx tsx bench/free-cores.ts` (the shuffle bench also runs it before and after its jobs).
 */
import { Worker } from "node:worker_threads";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";

const cpuLoop = `
let x = 0; const t0 = performance.now();
for (let i = 0; i < 4e8; i++) x = (x + Math.imul(i, 2654435761)) | 0;
parentPort.postMessage({ ms: performance.now() - t0, x });`;
const memoryLoop = `
const groups = 200000, rows = 500000, ids = new Int32Array(rows);
let seed = 7;
for (let i = 0; i < rows; i++) { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; ids[i] = seed % groups; }
const sums = new Float64Array(groups), counts = new Float64Array(groups);
let x = 0; const t0 = performance.now();
for (let r = 0; r < 60; r++) for (let i = 0; i < rows; i++) { const g = ids[i]; sums[g] += i; counts[g] += 1; }
parentPort.postMessage({ ms: performance.now() - t0, x: sums[7] });`;

const run = (body: string) => new Promise<number>((resolve, reject) => {
  const w = new Worker(`const { parentPort } = require("node:worker_threads");${body}`, { eval: true });
  w.once("message", (m: { ms: number }) => { resolve(m.ms); void w.terminate(); });
  w.once("error", reject);
});
/** One line per probe: its time alone, two at once, and the ratio. */
export async function probeFreeCores(): Promise<string[]> {
  const lines: string[] = [];
  for (const [name, body] of [["CPU loop", cpuLoop], ["memory-bound loop", memoryLoop]] as const) {
    const one = await run(body);
    const two = await Promise.all([run(body), run(body)]);
    const ratio = (two[0]! + two[1]!) / 2 / one;
    lines.push(`${name}: ${one.toFixed(0)} ms alone, ${two.map((t) => t.toFixed(0)).join(" / ")} ms two at once: ${ratio.toFixed(2)}x per thread (1.0 = two free cores); load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) for (const line of await probeFreeCores()) console.log(line);
