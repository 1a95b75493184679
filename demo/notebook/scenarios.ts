/**
 * The teaching scenarios: each runs real jobs on the notebook's cluster,
 * narrates what to watch in the live job view, and ends with the outcome
 * it teaches, measured from the run itself (the job store's stages and
 * tasks), never written in advance.
 */
import { CinderError, col, count, sum, avg, lit, when } from "cinder";
import type { ConfigKey, DataFrame } from "cinder";
import type { NotebookEngine } from "./engine.ts";
import type { JobRecord, StageRecord } from "./job-store.ts";
import { runCell } from "./run-cell.ts";

export type ScenarioId = "broadcast-vs-smj" | "skew" | "lost-executor" | "max-result-size" | "closure-trap" | "locality" | "shuffle-partitions" | "cache-loop";

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** What the scenario shows, before it runs. */
  intro: string;
  run(ctx: ScenarioContext): Promise<string>;
}

export class ScenarioContext {
  constructor(readonly engine: NotebookEngine, readonly owner: string, private readonly say: (line: string) => void) {}

  narrate(line: string): void { this.say(line); }

  /** Runs `fn` with `conf` set, then puts the old values back. */
  async withConf<T>(conf: Partial<Record<ConfigKey, number>>, fn: () => Promise<T>): Promise<T> {
    const c = this.engine.session.conf;
    const old = Object.fromEntries(Object.keys(conf).map((k) => [k, c.get(k as ConfigKey)]));
    for (const [k, v] of Object.entries(conf)) c.set(k, v!);
    try { return await fn(); } finally { for (const [k, v] of Object.entries(old)) c.set(k, v as number); }
  }

  /** Runs `fn`; returns its value, the jobs it started and their stages. */
  async measured<T>(fn: () => Promise<T>): Promise<{ value: T; jobs: JobRecord[]; stages: StageRecord[]; ms: number }> {
    const store = this.engine.store;
    const before = new Set(store.jobs.keys());
    const previousOwner = store.owner;
    store.owner = this.owner;
    const t0 = performance.now();
    try {
      const value = await fn();
      const jobs = [...store.jobs.values()].filter((j) => !before.has(j.jobId));
      const stages = jobs.flatMap((j) => j.stageIds.map((id) => store.stages.get(id)).filter((s): s is StageRecord => !!s));
      return { value, jobs, stages, ms: Math.round(performance.now() - t0) };
    } finally { store.owner = previousOwner; }
  }

  get cluster() {
    const c = this.engine.cluster;
    if (!c) throw new CinderError("EXECUTOR_LOST", "the notebook's cluster is not running; set the executors and try again");
    return c;
  }
}

const fmtBytes = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);
const shuffleBytes = (stages: StageRecord[]) => stages.reduce((n, s) => n + s.shuffleWrite, 0);

function tripsByBorough(engine: NotebookEngine): DataFrame {
  const trips = engine.session.table("trips"), zones = engine.session.table("zones");
  return trips.join(zones, trips.col("pickup_zone").eq(zones.col("zone_id"))).groupBy("borough").agg(count("*").alias("trips")).orderBy("borough");
}

/** A table whose key 0 holds most rows: a hot key, as a popular product or a NULL customer makes. */
function skewedPairs(engine: NotebookEngine): { facts: DataFrame; dims: DataFrame } {
  const s = engine.session;
  const facts = s.range(0, 400_000, 1, 4).select(when(col("id").mod(10).lt(8), lit(0)).otherwise(col("id").mod(1000)).alias("k"), col("id").alias("v"));
  const dims = s.range(0, 1000, 1, 2).select(col("id").alias("k"), col("id").mod(7).alias("g"));
  return { facts, dims };
}

export const SCENARIOS: Scenario[] = [
  {
    id: "broadcast-vs-smj", title: "Broadcast hash join vs sort-merge join",
    intro: "The same join twice: first with the zones table under autoBroadcastJoinThreshold (it is broadcast to every task), then with the threshold at 0 (both sides are shuffled and sorted).",
    async run(ctx) {
      const broadcast = await ctx.measured(() => tripsByBorough(ctx.engine).collect());
      ctx.narrate(`Broadcast: ${broadcast.stages.length} stage(s), ${fmtBytes(shuffleBytes(broadcast.stages))} shuffled, ${broadcast.ms} ms.`);
      const smj = await ctx.withConf({ autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 1 }, () => ctx.measured(() => tripsByBorough(ctx.engine).collect()));
      ctx.narrate(`Sort-merge: ${smj.stages.length} stage(s), ${fmtBytes(shuffleBytes(smj.stages))} shuffled, ${smj.ms} ms.`);
      const same = JSON.stringify(broadcast.value) === JSON.stringify(smj.value);
      return `sort-merge join ran ${smj.stages.length - broadcast.stages.length} more stage(s) and shuffled ${fmtBytes(shuffleBytes(smj.stages) - shuffleBytes(broadcast.stages))} more than the broadcast join; answers ${same ? "equal" : "DIFFER"}`;
    },
  },
  {
    id: "skew", title: "Data skew and adaptive skew-join splitting",
    intro: "80% of 400,000 rows share key 0. Joined by a shuffle, one reduce task gets them all: watch it straggle in the timeline with AQE off, then see its partition split into several tasks with AQE on.",
    async run(ctx) {
      const conf = { autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 1, "shuffle.partitions": 8, "adaptive.skewJoin.skewedPartitionThresholdInBytes": 64 * 1024, "adaptive.advisoryPartitionSizeInBytes": 64 * 1024 };
      const job = () => { const { facts, dims } = skewedPairs(ctx.engine); return facts.join(dims, "k").groupBy("g").agg(sum("v").alias("s")).orderBy("g").collect(); };
      const off = await ctx.withConf({ ...conf, "adaptive.enabled": 0 }, () => ctx.measured(job));
      const tasks = (jobs: JobRecord[]) => jobs.flatMap((j) => ctx.engine.store.tasksOf(j.jobId)).filter((t) => t.result === "success");
      const joinStage = (stages: StageRecord[]) => stages.filter((s) => s.parentIds.length >= 2).pop();
      const offStage = joinStage(off.stages);
      const offTimes = tasks(off.jobs).filter((t) => t.stageId === offStage?.stageId).map((t) => t.durationMs ?? 0).sort((a, b) => a - b);
      ctx.narrate(`AQE off: the join stage's slowest task took ${offTimes[offTimes.length - 1] ?? 0} ms, the median ${offTimes[Math.floor(offTimes.length / 2)] ?? 0} ms.`);
      const on = await ctx.withConf({ ...conf, "adaptive.enabled": 1 }, () => ctx.measured(job));
      const split = on.stages.flatMap((s) => s.skewedPartitions);
      ctx.narrate(`AQE on: ${split.map((p) => `partition ${p.partition} split into ${p.splits} tasks`).join(", ") || "no partition was split"}.`);
      const same = JSON.stringify(off.value) === JSON.stringify(on.value);
      return `AQE off: one straggler (${offTimes[offTimes.length - 1] ?? 0} ms vs median ${offTimes[Math.floor(offTimes.length / 2)] ?? 0} ms); AQE on: ${split.length ? split.map((p) => `partition ${p.partition} → ${p.splits} tasks`).join(", ") : "nothing split"}; answers ${same ? "equal" : "DIFFER"}`;
    },
  },
  {
    id: "lost-executor", title: "A lost executor during the reduce stage",
    intro: "The borough join and count with every side shuffled; as the reduce stage starts, one executor is killed. Its map outputs are gone: the reduce tasks hit FetchFailed, only the lost map partitions are recomputed, and the answer is still right.",
    async run(ctx) {
      const cluster = ctx.cluster;
      if (cluster.executors.filter((e) => e.isAlive).length < 2) throw new CinderError("WRONG_ARGUMENT", "this scenario needs at least 2 executors; raise 'executors' in the controls");
      const conf = { autoBroadcastJoinThreshold: 0, "join.preferSortMerge": 1, "adaptive.enabled": 0, "locality.wait": 0 };
      const expected = await ctx.withConf(conf, () => tripsByBorough(ctx.engine).collect());
      let killed: string | null = null;
      const stop = cluster.bus.on((e) => {
        // Kill a holder of map output as the first reduce task starts: the stage then cannot fetch its blocks.
        if (killed || e.type !== "TaskStart") return;
        const stage = ctx.engine.store.stages.get(e.stageId);
        if (!stage || stage.parentIds.length === 0) return;
        const victim = cluster.executors.find((x) => x.isAlive && x.id !== e.executorId) ?? cluster.executors.find((x) => x.isAlive);
        if (!victim) return;
        killed = victim.id;
        ctx.narrate(`Killing ${victim.id} as stage ${e.stageId} starts reading shuffle blocks.`);
        cluster.kill(victim.id, "killed by the lost-executor scenario");
      });
      let run;
      try { run = await ctx.withConf(conf, () => ctx.measured(() => tripsByBorough(ctx.engine).collect())); } finally { stop(); }
      await cluster.addExecutor();
      const resubmitted = run.stages.filter((s) => s.attempts > 1);
      const same = JSON.stringify(run.value) === JSON.stringify(expected);
      ctx.narrate(`A fresh executor replaces ${killed ?? "none"}.`);
      return `executor ${killed ?? "none"} lost; stage(s) ${resubmitted.map((s) => s.stageId).join(", ") || "none"} resubmitted; answer ${same ? "correct" : "WRONG"} (${run.value.length} boroughs)`;
    },
  },
  {
    id: "max-result-size", title: "collect() of a result larger than maxResultSize",
    intro: "maxResultSize is lowered to 256 KiB and all 50,000 trips are collected: the driver refuses, with the error that says what to do. Then the fixes: limit, take(n), or an aggregate.",
    async run(ctx) {
      const trips = ctx.engine.session.table("trips");
      return ctx.withConf({ maxResultSize: 256 * 1024 }, async () => {
        let code = "none";
        try { await ctx.measured(() => trips.collect()); } catch (e) {
          code = CinderError.is(e) ? e.code : String(e);
          ctx.narrate(`collect(): ${CinderError.is(e) ? e.message : String(e)}`);
        }
        const first = await trips.take(100);
        ctx.narrate(`take(100) returns ${first.length} rows.`);
        const agg = await trips.groupBy("payment").agg(avg("fare").alias("avg_fare")).collect();
        ctx.narrate(`An aggregate returns ${agg.length} rows.`);
        return `collect() failed with ${code}; take(100) gave ${first.length} rows and the aggregate ${agg.length}`;
      });
    },
  },
  {
    id: "closure-trap", title: "The closure-serialization trap",
    intro: "An RDD function that uses a variable from outside cannot take it to the executors (its source text travels, not its scope). Cinder refuses before any task runs and names the variable; passing it along fixes it.",
    async run(ctx) {
      // Run as cell code (text compiled in the page) so the names shown are the names that travel, whatever a bundler does to this file.
      const trap = "const minFare = 50;\nspark.parallelize([10, 60, 70, 20], 2).filter((fare) => fare > minFare).collect()";
      const fix = "const minFare = 50;\nspark.parallelize([10, 60, 70, 20], 2).filter((fare) => fare > minFare, { minFare }).collect()";
      let named = "";
      ctx.narrate(`Running: ${trap.replace("\n", " ")}`);
      try {
        await runCell(ctx.engine.session, "js", trap);
      } catch (e) {
        named = CinderError.is(e) ? e.code : String(e);
        ctx.narrate(`It fails before any task runs: ${e instanceof Error ? e.message : String(e)}`);
      }
      ctx.narrate(`The fix passes the value along: ${fix.split("\n")[1]}`);
      const fixed = await ctx.measured(() => runCell(ctx.engine.session, "js", fix));
      const value = fixed.value.text ?? "";
      ctx.narrate(`Result: ${value.replace(/\s+/g, " ")}`);
      return `capturing minFare failed with ${named || "no error"}; passing { minFare } gave ${value.replace(/\s+/g, "")}`;
    },
  },
  {
    id: "locality", title: "Locality: cached partitions and locality.wait",
    intro: "The trips are cached on the executors. A task prefers the executor holding its partition; with locality.wait 3 s a task waits for that executor, with 0 s it runs anywhere free and fetches the block.",
    async run(ctx) {
      const cached = ctx.engine.session.table("trips").repartition(8).cache();
      try {
        await ctx.measured(() => cached.count());
        const query = () => cached.groupBy("payment").agg(count("*").alias("n")).collect();
        const local = (jobs: JobRecord[]) => {
          const ts = jobs.flatMap((j) => ctx.engine.store.tasksOf(j.jobId)).filter((t) => t.result === "success");
          return ts.length;
        };
        const waiting = await ctx.withConf({ "locality.wait": 3000 }, () => ctx.measured(query));
        ctx.narrate(`locality.wait 3 s: ${local(waiting.jobs)} tasks in ${waiting.ms} ms, each on the executor holding its cached partition.`);
        const eager = await ctx.withConf({ "locality.wait": 0 }, () => ctx.measured(query));
        ctx.narrate(`locality.wait 0 s: ${local(eager.jobs)} tasks in ${eager.ms} ms, placed on whichever executor was free.`);
        return `locality.wait 3 s: ${waiting.ms} ms; 0 s: ${eager.ms} ms`;
      } finally { await cached.unpersist(); }
    },
  },
  {
    id: "shuffle-partitions", title: "shuffle.partitions: 200 tiny tasks vs coalesced",
    intro: "Spark's default of 200 shuffle partitions for a small group-by: 200 reduce tasks of a few rows each with AQE off; with AQE on, the partitions are coalesced by size into a few tasks.",
    async run(ctx) {
      const q = () => ctx.engine.session.table("trips").groupBy("pickup_zone").agg(count("*").alias("n")).collect();
      const off = await ctx.withConf({ "shuffle.partitions": 200, "adaptive.enabled": 0 }, () => ctx.measured(q));
      const on = await ctx.withConf({ "shuffle.partitions": 200, "adaptive.enabled": 1 }, () => ctx.measured(q));
      const reduce = (stages: StageRecord[]) => stages.find((s) => s.kind === "result");
      ctx.narrate(`AQE off: ${reduce(off.stages)?.numTasks} reduce tasks, ${off.ms} ms. AQE on: ${reduce(on.stages)?.numTasks} tasks, ${on.ms} ms.`);
      return `200 partitions: ${reduce(off.stages)?.numTasks} tasks in ${off.ms} ms with AQE off, ${reduce(on.stages)?.numTasks} coalesced tasks in ${on.ms} ms with AQE on`;
    },
  },
  {
    id: "cache-loop", title: "cache() in an iterative loop",
    intro: "An iterative job (five passes, each filtering and aggregating the same derived table) without cache, then with it: cached, every pass after the first reads the executors' blocks instead of decoding Parquet and recomputing.",
    async run(ctx) {
      const derived = () => ctx.engine.session.table("trips").withColumn("fare_per_km", col("fare").divide(col("distance_km")));
      const loop = async (df: DataFrame) => {
        const times: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          await df.filter(col("passengers").geq(1 + (i % 4))).agg(avg("fare_per_km")).collect();
          times.push(Math.round(performance.now() - t0));
        }
        return times;
      };
      const plain = (await ctx.measured(() => loop(derived()))).value;
      ctx.narrate(`Without cache: ${plain.join(", ")} ms per pass.`);
      const cachedDf = derived().cache();
      try {
        const cached = (await ctx.measured(() => loop(cachedDf))).value;
        ctx.narrate(`With cache: ${cached.join(", ")} ms per pass (the first computes the cache).`);
        const mean = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
        return `mean pass ${mean(plain)} ms without cache, ${mean(cached.slice(1))} ms with cache after the first pass`;
      } finally { await cachedDf.unpersist(); }
    },
  },
];
