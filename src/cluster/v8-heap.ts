/**
 * V8's starting heap size for Node isolates that run Cinder. V8 begins with a
 * small old-generation limit and counts ArrayBuffer memory towards it, so a
 * scan that decodes and drops a few hundred MB of column buffers a second
 * hits the limit every few tens of milliseconds and runs a full
 * mark-compact each time: 63 of them in three runs of TPC-H Q6 at SF 1, about
 * 40% of its time. From a larger initial old space the same runs need 8, and
 * queries take 0.55-0.6x the time (BENCHMARKS.md). The cost is garbage buffers
 * living a little longer before a collection frees them.
 *
 * V8 flags belong to the process and are read when an isolate starts: the
 * main isolate gets the flag from the `cinder` launcher's command line
 * (bin/cinder.mjs), worker-thread executors from `preferLargerHeap` before
 * the first of them starts. A flag the process was started with wins.
 */
import v8 from "node:v8";

/** The initial old space, in MB, that removes the collections above (128 did at SF 1; this leaves room). */
export const INITIAL_OLD_SPACE_MB = 256;

let done = false;

/** Sets `--initial-old-space-size` for isolates started from now on, unless the process chose its own. */
export function preferLargerHeap(): void {
  if (done) return;
  done = true;
  if (process.execArgv.some((a) => a.startsWith("--initial-old-space-size") || a.startsWith("--initial-heap-size"))) return;
  v8.setFlagsFromString(`--initial-old-space-size=${INITIAL_OLD_SPACE_MB}`);
}
