/**
 * How many cores the machine has free right now, for reading the 1 -> 2
 * executor figures: times a fixed CPU loop on one worker thread alone, then
 * on two at once. A ratio of 1.0 means two free cores; 2.0 means the second
 * thread got no core of its own (the speedup target cannot show then).
 *
 * Run: `npx tsx bench/free-cores.ts`
 */
import { Worker } from "node:worker_threads";
import { loadavg } from "node:os";

const code = `
const { parentPort } = require("node:worker_threads");
let x = 0; const t0 = performance.now();
for (let i = 0; i < 4e8; i++) x = (x + Math.imul(i, 2654435761)) | 0;
parentPort.postMessage({ ms: performance.now() - t0, x });`;
const run = () => new Promise<number>((resolve, reject) => {
  const w = new Worker(code, { eval: true });
  w.once("message", (m: { ms: number }) => { resolve(m.ms); void w.terminate(); });
  w.once("error", reject);
});
const one = await run();
const two = await Promise.all([run(), run()]);
const ratio = (two[0]! + two[1]!) / 2 / one;
console.log(`CPU loop: ${one.toFixed(0)} ms alone, ${two.map((t) => t.toFixed(0)).join(" / ")} ms two at once: ${ratio.toFixed(2)}x per thread (1.0 = two free cores); load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
