/**
 * `npm run demo`: the console job on the bundled sample dataset (50,000 taxi trips
 * and 40 zones in demo/data, Parquet). It shows what Cinder is for: the
 * DataFrame API and SQL over Parquet, the plans a query becomes, and the
 * same job run as stages and tasks on worker-thread executors, with one
 * executor killed mid-job to show Spark-style recovery.
 *
 * `npm run demo -- --executors 4` sets the cluster size (default 2).
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Cluster, Session, col, count, avg, sum, round, desc } from "../src/index.ts";
import type { CinderEvent } from "../src/index.ts";

const { values: args } = parseArgs({ options: { executors: { type: "string", default: "2" } } });
const dataDir = fileURLToPath(new URL("./data/", import.meta.url));

// Small data: a handful of shuffle partitions, as a notebook would set.
const session = new Session({ "shuffle.partitions": 4 });
// One split per row group (10,000 rows, ~220 KB each), so the job has several map tasks to schedule.
const trips = await session.read.option("splitBytes", 64 * 1024).parquet(`${dataDir}trips.parquet`);
const zones = await session.read.parquet(`${dataDir}zones.parquet`);
trips.createOrReplaceTempView("trips");
zones.createOrReplaceTempView("zones");

console.log(`trips: ${await trips.count()} rows, columns ${trips.columns.join(", ")}\n`);

console.log("Busiest pickup boroughs (DataFrame API):");
const byBorough = trips
  .join(zones, trips.col("pickup_zone").eq(zones.col("zone_id")))
  .groupBy("borough")
  .agg(count("*").alias("trips"), round(avg("distance_km"), 2).alias("avg_km"), sum("fare").alias("fares"))
  .orderBy(desc("trips"));
await byBorough.show();

console.log("Tips by payment type (SQL):");
const tipsSql = `
  SELECT payment, count(*) AS trips, count(tip) AS tipped,
         round(avg(tip / fare) * 100, 1) AS tip_pct
  FROM trips
  WHERE distance_km > 2
  GROUP BY payment
  ORDER BY tip_pct DESC`;
await session.sql(tipsSql).show();

console.log("How that query runs:");
console.log(session.sql(tipsSql).explain("simple"));

// The same join + aggregation as stages and tasks on executors in worker threads.
const executors = Math.max(1, Number(args.executors));
const cluster = await Cluster.start({ executors, kind: "worker-thread" });
session.backend = cluster.backend();
const events: CinderEvent[] = [];
const stopListening = cluster.bus.on((e) => {
  events.push(e);
  // Kill one executor as soon as the first map stage has a finished task, to show recovery.
  if (executors > 1 && e.type === "TaskEnd" && e.result === "success" && !killed) {
    killed = e.executorId;
    cluster.kill(e.executorId, "killed by the demo");
  }
});
let killed: string | null = null;
try {
  console.log(`\nThe borough query on ${executors} worker-thread executor(s):`);
  await byBorough.show();
  const stages = events.filter((e) => e.type === "StageCompleted");
  const tasks = events.filter((e): e is Extract<CinderEvent, { type: "TaskEnd" }> => e.type === "TaskEnd");
  console.log(`${stages.length} stage attempt(s), ${tasks.length} task(s):`);
  for (const s of stages) {
    const mine = tasks.filter((t) => t.stageId === s.stageId && t.stageAttempt === s.attempt);
    const ok = mine.filter((t) => t.result === "success");
    const byExecutor = [...new Set(ok.map((t) => t.executorId))].join(", ");
    const shuffled = ok.reduce((n, t) => n + (t.metrics?.shuffleBytesWritten ?? 0), 0);
    // What adaptive execution did once the parent stages' map output sizes were known.
    const submitted = events.find((e): e is Extract<CinderEvent, { type: "StageSubmitted" }> => e.type === "StageSubmitted" && e.stageId === s.stageId && e.attempt === s.attempt);
    const adaptive = [
      submitted?.coalescedFrom !== undefined && s.attempt === 0 ? `${submitted.coalescedFrom} shuffle partitions read as ${submitted.numTasks} task(s)` : "",
      ...(submitted?.skewedPartitions ?? []).map((p) => `skewed partition ${p.partition} split into ${p.splits} tasks`),
    ].filter(Boolean).join(", ");
    console.log(`  stage ${s.stageId} (${s.kind}, attempt ${s.attempt}): ${ok.length}/${mine.length} tasks succeeded on ${byExecutor || "-"}` +
      `${shuffled ? `, wrote ${(shuffled / 1024).toFixed(0)} KiB of shuffle` : ""}${adaptive ? ` (${adaptive})` : ""}${s.failureReason ? ` — ${s.failureReason}` : ""}`);
  }
  if (killed) console.log(`  executor ${killed} was killed mid-job; the lost tasks and map outputs were recomputed on the others, and the answer is the same.`);
} finally {
  stopListening();
  await cluster.stop();
}
