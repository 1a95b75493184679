/**
 * What spilling costs and holds: a sort, a group-by and a shuffled hash
 * join over ~4x their task's execution memory, on one in-process executor,
 * against the same query with memory to spare, in the same run,
 * interleaved. Reports each task's peak execution memory (what its
 * operators reserved at once) against the budget, and the bytes spilled.
 *
 * Run: `npm run bench -- memory` (ROUNDS=5 by default).
 */
import { Session } from "../src/index.ts";
import { Cluster } from "../src/cluster/cluster.ts";
import { EventLog } from "../src/scheduler/listener-bus.ts";
import { loadAverages } from "./support/timing.ts";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const ROWS = 2_000_000;
const BUDGET = 16 * 2 ** 20;
const QUERIES = {
  sort: "SELECT k, s, id FROM t ORDER BY s DESC, k, id",
  "group-by": "SELECT k, count(*) AS n, sum(id) AS total, min(s) AS lo FROM t GROUP BY k",
  "hash join": "SELECT a.id, b.s FROM t a JOIN (SELECT id * 2 AS k2, s FROM t WHERE id < 1000000) b ON a.id = b.k2",
};

console.log(`memory bench: ${ROWS / 1e6}M rows, ${ROUNDS} interleaved rounds after a warm-up, median wall ms; load average at start: ${loadAverages()}`);
const cluster = await Cluster.start({ executors: 1, kind: "in-process" });
const log = new EventLog(cluster.bus);
try {
  for (const [name, sql] of Object.entries(QUERIES)) {
    const sessions = {
      spilling: new Session({ "executor.memory": BUDGET * 2, "memory.fraction": 0.5, "shuffle.partitions": 1, autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 0 }),
      "in memory": new Session({ "executor.memory": "8g", "shuffle.partitions": 1, autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 0 }),
    };
    for (const s of Object.values(sessions)) {
      s.backend = cluster.backend();
      s.range(ROWS).createOrReplaceTempView("ids");
      s.sql("SELECT id, (id * 7919) % 500000 AS k, concat('v', CAST(id % 977 AS STRING)) AS s FROM ids").createOrReplaceTempView("t");
    }
    const times: Record<string, number[]> = { spilling: [], "in memory": [] };
    const peaks: Record<string, number> = {}, spills: Record<string, number> = {};
    let expected: number | undefined;
    for (let r = 0; r <= ROUNDS; r++) {
      for (const [label, session] of Object.entries(sessions)) {
        const before = log.of("TaskEnd").length;
        const t0 = performance.now();
        const rows = (await session.sql(sql).collectBatches()).reduce((n, b) => n + b.numRows, 0);
        if (r > 0) times[label]!.push(performance.now() - t0);
        expected ??= rows;
        if (rows !== expected) throw new Error(`${name} ${label}: ${rows} rows, expected ${expected}`);
        const ends = log.of("TaskEnd").slice(before);
        peaks[label] = Math.max(...ends.map((e) => e.metrics?.peakExecutionMemory ?? 0));
        spills[label] = ends.reduce((n, e) => n + (e.metrics?.spillBytes ?? 0), 0);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
    const spilled = median(times.spilling!), held = median(times["in memory"]!);
    console.log(`${name}: spilling ${spilled.toFixed(0)} ms (peak ${mb(peaks.spilling!)} of a ${mb(BUDGET)} budget, ${mb(spills.spilling!)} spilled), in memory ${held.toFixed(0)} ms (peak ${mb(peaks["in memory"]!)}); spilling/in memory ${(spilled / held).toFixed(2)}`);
  }
} finally { await cluster.stop(); }
console.log(`load average at the end: ${loadAverages()}`);
