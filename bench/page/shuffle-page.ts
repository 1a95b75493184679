/**
 * The in-page shuffle benchmark (bundled and driven by
 * `bench/shuffle-page.bench.ts`): in a cross-origin-isolated page, starts
 * Web Worker executors and runs the raw shuffle job (hash-partition a memory
 * table into shared-memory blocks, read every block back) at the sizes the
 * URL asks for, then prints GB/s of shuffle bytes in the page and hands the
 * figures to the driver as `window.__shuffleBench`.
 */
import { Session } from "../../src/index.ts";
import { Cluster } from "../../src/cluster/cluster.ts";
import { EventLog } from "../../src/scheduler/listener-bus.ts";
import { makeShuffleFacts, rawShufflePlan } from "../support/raw-shuffle.ts";

export interface PageFigure {
  rows: number; executors: number; mapTasks: number; bytes: number; medianMs: number; gbps: number;
  /** Median executor-side duration of a map task, and of a reduce task (listener-bus TaskEnd metrics). */
  mapTaskMs: number; reduceTaskMs: number; times: number[];
}

const params = new URLSearchParams(location.search);
const sizes = (params.get("rows") ?? "2000000").split(",").map(Number);
const executorCounts = (params.get("executors") ?? "1,2").split(",").map(Number);
const runs = Number(params.get("runs") ?? 5);
const out = document.getElementById("out")!;
const print = (s: string) => { out.textContent += s + "\n"; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<PageFigure[]> {
  print(`crossOriginIsolated=${crossOriginIsolated} hardwareConcurrency=${navigator.hardwareConcurrency}`);
  if (!crossOriginIsolated) throw new Error("the page is not cross-origin isolated: SharedArrayBuffer is missing (serve it with COOP/COEP)");
  const figures: PageFigure[] = [];
  for (const rows of sizes) {
    const session = new Session({ "shuffle.partitions": 8 });
    // One map task per 500K rows, as in the Node bench's small case.
    const mapTasks = Math.max(1, Math.round(rows / 500_000));
    const facts = makeShuffleFacts(session, rows, mapTasks);
    const plan = rawShufflePlan(session, facts, 8);
    const clusters = await Promise.all(executorCounts.map((executors) => Cluster.start({ executors, kind: "web-worker" })));
    try {
      const logs = clusters.map((c) => new EventLog(c.bus));
      for (const c of clusters) await c.scheduler.runJob(plan, session.sources, session.conf.toJSON()); // warm-up: ships the table
      logs.forEach((l) => l.clear());
      const times: number[][] = clusters.map(() => []);
      // Interleaved: load from other processes skews every setup alike.
      for (let r = 0; r < runs; r++) {
        for (let k = 0; k < clusters.length; k++) {
          const t0 = performance.now();
          await clusters[k]!.scheduler.runJob(plan, session.sources, session.conf.toJSON());
          times[k]!.push(performance.now() - t0);
        }
      }
      clusters.forEach((_, k) => {
        const ends = logs[k]!.of("TaskEnd");
        const bytes = ends.reduce((n, e) => n + (e.metrics?.shuffleBytesWritten ?? 0), 0) / runs;
        const read = ends.reduce((n, e) => n + (e.metrics?.shuffleBytesRead ?? 0), 0) / runs;
        if (Math.abs(bytes - read) > 1) throw new Error(`shuffle wrote ${bytes} bytes but read ${read}`);
        const ms = median(times[k]!);
        const f: PageFigure = {
          rows, executors: executorCounts[k]!, mapTasks, bytes, medianMs: ms, gbps: bytes / 1e9 / (ms / 1000), times: times[k]!,
          mapTaskMs: median(ends.filter((e) => (e.metrics?.shuffleBytesWritten ?? 0) > 0).map((e) => e.metrics!.durationMs)),
          reduceTaskMs: median(ends.filter((e) => (e.metrics?.shuffleBytesRead ?? 0) > 0).map((e) => e.metrics!.durationMs)),
        };
        figures.push(f);
        // Where the last job's time went: driver-side task time (launch to result) against the executor's own.
        const last = logs[k]!.events.slice(logs[k]!.events.map((e) => e.type).lastIndexOf("JobStart"));
        const starts = new Map(last.filter((e) => e.type === "TaskStart").map((e) => [(e as { taskId: number }).taskId, e.time]));
        const overhead = last.filter((e) => e.type === "TaskEnd").map((e) => `${e.time - starts.get((e as { taskId: number }).taskId)!}/${(e as { metrics?: { durationMs: number } }).metrics?.durationMs}`);
        print(`  last job: ${last[last.length - 1]!.time - last[0]!.time} ms; tasks driver-side/executor-side ms: ${overhead.join(" ")}`);
        print(`in-page raw shuffle, ${f.executors} web worker(s), ${rows} rows (${mapTasks} map tasks x 8 reduce partitions): ${(bytes / 1e6).toFixed(1)} MB per job in ${ms.toFixed(0)} ms = ${f.gbps.toFixed(2)} GB/s (median map task ${f.mapTaskMs} ms, reduce task ${f.reduceTaskMs} ms)`);
      });
    } finally { for (const c of clusters) await c.stop(); }
  }
  return figures;
}

const w = window as unknown as { __shuffleBench?: { figures?: PageFigure[]; error?: string } };
main().then((figures) => { w.__shuffleBench = { figures }; print("done"); },
  (e: unknown) => { w.__shuffleBench = { error: e instanceof Error ? `${e.message}\n${e.stack}` : String(e) }; print(`failed: ${String(e)}`); });
