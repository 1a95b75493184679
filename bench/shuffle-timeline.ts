/**
 * Where a raw-shuffle job's wall time goes: runs the raw shuffle of
 * `bench/shuffle.bench.ts` (hash-partition the scan into 8 shared-memory
 * blocks per map task, read every block back) and prints, per job, the
 * listener-bus timeline — job start to first task start, map stage, gap
 * between stages, reduce stage, end of last task to job end — with each
 * task's own duration as the executor measured it.
 *
 * Run: `npx tsx bench/shuffle-timeline.ts` (KIND=in-process|worker-thread,
 * EXECUTORS=2, ROWS=2000000, RUNS=5). Profile the driver with
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/shuffle-timeline.ts`
 * (worker threads write their own profiles into the same folder).
 */
import { Session } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import type { ExecutorKind } from "../src/cluster/cluster.ts";
import { EventLog } from "../src/scheduler/listener-bus.ts";
import { rawShufflePlan, makeShuffleFacts } from "./support/raw-shuffle.ts";

const ROWS = Number(process.env.ROWS ?? 2_000_000);
const RUNS = Number(process.env.RUNS ?? 5);
const KIND = (process.env.KIND ?? "worker-thread") as ExecutorKind;
const EXECUTORS = Number(process.env.EXECUTORS ?? 2);
const PARTS = Number(process.env.PARTS ?? 4);

const session = new Session({ "shuffle.partitions": 8 });
const facts = makeShuffleFacts(session, ROWS, PARTS);
const shuffle = rawShufflePlan(session, facts, 8);
const cluster = await Cluster.start({ executors: EXECUTORS, kind: KIND });
const log = new EventLog(cluster.bus);
try {
  for (let run = 0; run < RUNS; run++) {
    log.clear();
    const t0 = Date.now();
    await cluster.scheduler.runJob(shuffle, session.sources, session.conf.toJSON());
    const wall = Date.now() - t0;
    const stages = log.of("StageSubmitted");
    const ends = log.of("TaskEnd");
    const starts = log.of("TaskStart");
    const line: string[] = [`run ${run}: wall ${wall} ms`];
    for (const s of stages) {
      const st = starts.filter((e) => e.stageId === s.stageId), en = ends.filter((e) => e.stageId === s.stageId);
      const first = Math.min(...st.map((e) => e.time)), last = Math.max(...en.map((e) => e.time));
      const durs = en.map((e) => e.metrics?.durationMs ?? 0);
      line.push(`${s.kind} stage: submitted +${s.time - t0}, first task +${first - t0}, last end +${last - t0} (${en.length} tasks, executor-side ms ${durs.join("/")}, sum ${durs.reduce((a, b) => a + b, 0)})`);
    }
    line.push(`job end +${(log.of("JobEnd")[0]?.time ?? 0) - t0}`);
    console.log(line.join("\n  "));
  }
} finally { await cluster.stop(); }
