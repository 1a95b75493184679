/**
 * The RDD API suite, run on every backend (the local backend, in-process
 * and worker-thread clusters in Node, Web Workers in Chromium): each test
 * computes the expected answer in plain JavaScript on the same data and
 * checks the RDD's answer equals it, so every backend returns the same
 * results. It takes the test framework's functions (node:test or mocha)
 * like the executor conformance suite.
 */
import { Session, CinderError } from "../../src/index.ts";
import type { Cluster } from "../../src/cluster/cluster.ts";
import type { CinderEvent } from "../../src/common/events.ts";
import type { TestApi } from "../cluster/executor-conformance.ts";

export interface RDDBackend {
  name: string;
  /** True when `start` returns a cluster (its events and executors are checked too). */
  distributed: boolean;
  /** A cluster to attach (null: the session's local backend). */
  start(): Promise<Cluster | null>;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e.slice(0, 400)}, got ${a.slice(0, 400)}`);
}

const byKey = (a: readonly unknown[], b: readonly unknown[]) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0);

/** Deterministic text: `lines` lines of 8 words drawn with skew from a small vocabulary. */
export function makeLines(lines: number): string[] {
  const vocabulary = ["spark", "cinder", "arrow", "shuffle", "stage", "task", "executor", "driver", "block", "partition", "the", "a"];
  const out: string[] = [];
  let seed = 12345;
  for (let l = 0; l < lines; l++) {
    const words: string[] = [];
    for (let w = 0; w < 8; w++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const r = seed / 2147483648;
      words.push(vocabulary[Math.floor(r * r * vocabulary.length)]!);
    }
    out.push(words.join(" "));
  }
  return out;
}

export function rddSuite(t: TestApi, backend: RDDBackend): void {
  t.describe(`RDD API on ${backend.name}`, () => {
    let cluster: Cluster | null = null;
    let session: Session;
    const events: CinderEvent[] = [];
    t.before(async () => {
      session = new Session({ "task.maxFailures": 2 });
      cluster = await backend.start();
      if (cluster) {
        session.backend = cluster.backend();
        cluster.bus.on((e) => { events.push(e); });
      }
    });
    t.after(async () => { await cluster?.stop(); });

    t.it("map and filter keep the elements in order across partitions", async () => {
      const data = Array.from({ length: 100 }, (_, i) => i);
      const got = await session.parallelize(data, 4).map((x) => x * 2).filter((x) => x % 3 === 0).collect();
      same(got, data.map((x) => x * 2).filter((x) => x % 3 === 0), "map/filter");
    });

    t.it("word count with flatMap and reduceByKey runs as a map stage and a result stage", async () => {
      const lines = makeLines(400);
      const before = events.length;
      const got = await session.parallelize(lines, 3)
        .flatMap((line) => line.split(" "))
        .map((w): [string, number] => [w, 1])
        .reduceByKey((a, b) => a + b, 4)
        .collect();
      const expected = new Map<string, number>();
      for (const w of lines.flatMap((l) => l.split(" "))) expected.set(w, (expected.get(w) ?? 0) + 1);
      same(got.sort(byKey), [...expected].sort(byKey), "word counts");
      if (cluster) {
        const stages = events.slice(before).filter((e): e is Extract<CinderEvent, { type: "StageSubmitted" }> => e.type === "StageSubmitted");
        same(stages.map((s) => s.kind), ["shuffleMap", "result"], "stages of the job");
        same(stages.map((s) => s.numTasks), [3, 4], "tasks per stage");
      }
    });

    t.it("groupByKey gathers every value of a key", async () => {
      const pairs: [number, string][] = Array.from({ length: 60 }, (_, i) => [i % 7, `v${i}`]);
      const got = await session.parallelize(pairs, 3).groupByKey(2).collect();
      const expected = new Map<number, string[]>();
      for (const [k, v] of pairs) expected.set(k, [...(expected.get(k) ?? []), v]);
      same(got.map(([k, vs]) => [k, [...vs].sort()]).sort(byKey), [...expected].map(([k, vs]) => [k, vs.sort()]).sort(byKey), "groups");
    });

    t.it("join pairs every left value with every right value of the same key", async () => {
      const users: [number, string][] = [[1, "ann"], [2, "bob"], [3, "cy"], [4, "dee"]];
      const orders: [number, number][] = [[1, 10], [1, 11], [3, 30], [5, 50], [3, 31]];
      const got = await session.parallelize(users, 2).join(session.parallelize(orders, 3)).collect();
      const expected: [number, [string, number]][] = [];
      for (const [uk, name] of users) for (const [ok, amount] of orders) if (uk === ok) expected.push([uk, [name, amount]]);
      const order = (a: [number, [string, number]], b: [number, [string, number]]) => a[0] - b[0] || a[1][1] - b[1][1];
      same(got.sort(order), expected.sort(order), "join");
    });

    t.it("keys compare by value: arrays and objects group together, 1 and '1' do not", async () => {
      const pairs: [unknown, number][] = [[[1, 2], 1], [[1, 2], 2], [1, 3], ["1", 4], [{ a: 1 }, 5], [{ a: 1 }, 6]];
      const got = await session.parallelize(pairs, 3).reduceByKey((a, b) => a + b).collect();
      same(got.map(([k, v]) => [JSON.stringify(k), v]).sort(byKey), [["\"1\"", 4], ["1", 3], ["[1,2]", 3], ["{\"a\":1}", 11]], "keys");
    });

    t.it("mapPartitions sees each partition whole (Spark's slicing)", async () => {
      const got = await session.parallelize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3).mapPartitions(function* (it) {
        let sum = 0, n = 0;
        for (const x of it) { sum += x; n++; }
        yield { sum, n };
      }).collect();
      same(got, [{ sum: 6, n: 3 }, { sum: 15, n: 3 }, { sum: 34, n: 4 }], "partition sums");
    });

    t.it("reduce, count and mapValues", async () => {
      const rdd = session.parallelize(Array.from({ length: 1000 }, (_, i) => i + 1), 5);
      same(await rdd.reduce((a, b) => a + b), 500500, "reduce");
      same(await rdd.count(), 1000, "count");
      same(await rdd.filter((x) => x > 990).count(), 10, "count after filter");
      same(await session.parallelize([["a", 1], ["b", 2]] as [string, number][], 2).mapValues((v) => v * 10).collect(), [["a", 10], ["b", 20]], "mapValues");
    });

    t.it("union, distinct, keys, values and take", async () => {
      const a = session.parallelize([1, 2, 2, 3], 2), b = session.parallelize([3, 4], 3);
      const u = a.union(b);
      same(u.getNumPartitions(), 5, "union partitions");
      same(await u.collect(), [1, 2, 2, 3, 3, 4], "union keeps order and duplicates");
      same(await u.map((x) => x * 10).count(), 6, "steps after a union");
      same((await u.distinct(2).collect()).sort(), [1, 2, 3, 4], "distinct");
      const pairs = session.parallelize([["x", 1], ["y", 2]] as [string, number][], 2);
      same(await pairs.keys().collect(), ["x", "y"], "keys");
      same(await pairs.values().collect(), [1, 2], "values");
      same(await u.take(3), [1, 2, 2], "take");
      same(await u.take(0), [], "take 0");
      same(await u.take(100), [1, 2, 2, 3, 3, 4], "take more than there is");
    });

    t.it("empty RDDs and empty partitions: count is 0, reduce fails with a typed error", async () => {
      const empty = session.parallelize([] as number[], 3);
      same(await empty.count(), 0, "count");
      same(await empty.map((x) => x + 1).collect(), [], "collect");
      same(await session.parallelize([5, 6], 5).reduce((a, b) => a * b), 30, "reduce over mostly empty partitions");
      let error: unknown;
      try { await empty.reduce((a, b) => a + b); } catch (e) { error = e; }
      check(CinderError.is(error) && (error as CinderError).code === "UNSUPPORTED", `UNSUPPORTED, got ${String(error)}`);
    });

    t.it("toDF turns pairs into a DataFrame the SQL engine can query", async () => {
      const df = await session.parallelize([["b", 2], ["a", 1], ["b", 3]] as [string, number][], 2).toDF("k", "v");
      same(await df.groupBy("k").count().orderBy("k").collect(), [{ k: "a", count: 1 }, { k: "b", count: 2 }], "grouped");
    });

    t.it("values without a JSON form survive a shuffle (undefined, NaN, bigint, Date, Map, Set)", async () => {
      const data = [undefined, NaN, 12345678901234567890n, new Date(0), new Map([["k", 1]]), new Set([1, 2])];
      const got = await session.parallelize(data, 2).map((x) => [1, x] as [number, unknown]).groupByKey(1).collect();
      const values = got[0]![1];
      check(values.length === 6, `six values, got ${values.length}`);
      check(values.includes(undefined) && values.some((v) => typeof v === "number" && Number.isNaN(v)), "undefined and NaN");
      check(values.includes(12345678901234567890n), "bigint");
      check(values.some((v) => v instanceof Date && v.getTime() === 0), "Date");
      check(values.some((v) => v instanceof Map && v.get("k") === 1) && values.some((v) => v instanceof Set && v.has(2)), "Map and Set");
    });

    t.it("outside values reach executors through env, helpers and broadcasts", async () => {
      const factor = 3;
      const offset = (x: number) => x % 2;
      const names = session.broadcast(new Map([[1, "one"], [2, "two"], [3, "three"]]));
      const got = await session.parallelize([1, 2, 3], 2)
        .map((x) => x * factor + offset(x), { factor, offset })
        .map((x) => `${x}:${names.value.get(x / 3 | 0) ?? "?"}`, { names })
        .collect();
      same(got, ["4:one", "6:two", "10:three"], "env and broadcast");
    });

    t.it("a function that closes over a variable fails at submission, naming it, before any job runs", async () => {
      const threshold = 10;
      const before = events.length;
      let error: unknown;
      try {
        session.parallelize([1, 2, 3]).filter((x) => x > threshold);
      } catch (e) { error = e; }
      check(CinderError.is(error), `a CinderError, got ${String(error)}`);
      const e = error as CinderError;
      same(e.code, "NOT_SERIALIZABLE", "code");
      check(e.message.includes("'threshold'") && e.message.includes("broadcast") && e.message.includes("mapPartitions"), `message names the variable and the ways out: ${e.message}`);
      same(e.details.variables, ["threshold"], "details.variables");
      same(events.slice(before).filter((x) => x.type === "JobStart").length, 0, "jobs started");
    });

    t.it("a function that throws fails the job with a typed error carrying its message, and the session keeps working", async () => {
      let error: unknown;
      try {
        await session.parallelize([1, 2, 3, 4], 2).map((x) => { if (x === 3) throw new Error(`bad element ${x}`); return x; }).collect();
      } catch (e) { error = e; }
      check(CinderError.is(error), `a CinderError, got ${String(error)}`);
      const e = error as CinderError;
      check(e.code === "TASK_FAILED" || e.code === "JOB_ABORTED", `code ${e.code}`);
      check(e.message.includes("bad element 3") && e.message.includes("map"), `message carries the user's message and the operation: ${e.message}`);
      if (backend.distributed) {
        const failed = events.filter((x) => x.type === "TaskEnd" && x.result === "failed" && (x.failureReason ?? "").includes("bad element 3"));
        same(failed.length, 2, "attempts of the failing task (task.maxFailures = 2)");
      }
      same(await session.parallelize([1, 2, 3], 2).map((x) => x + 1).collect(), [2, 3, 4], "a later job");
    });

    t.it("an element that holds a function fails with NOT_SERIALIZABLE", async () => {
      let error: unknown;
      try { await session.parallelize([1], 1).map((x) => ({ x, f: () => x })).collect(); } catch (e) { error = e; }
      check(CinderError.is(error) && (error as CinderError).code === "NOT_SERIALIZABLE", `NOT_SERIALIZABLE, got ${String(error)}`);
    });

    if (backend.distributed) {
      // Last: it leaves the cluster one executor short.
      t.it("an executor lost in the reduce stage of reduceByKey: only its map partitions rerun and the answer is unchanged", async () => {
        const lines = makeLines(300);
        const expected = new Map<string, number>();
        for (const w of lines.flatMap((l) => l.split(" "))) expected.set(w, (expected.get(w) ?? 0) + 1);
        const start = events.length;
        const submitted = () => events.slice(start).filter((e): e is Extract<CinderEvent, { type: "StageSubmitted" }> => e.type === "StageSubmitted");
        const mapOwner = new Map<number, string>();
        let killed = "";
        const off = cluster!.bus.on((e) => {
          const stages = submitted();
          if (e.type === "TaskEnd" && e.result === "success" && e.stageAttempt === 0 && e.stageId === stages[0]?.stageId) mapOwner.set(e.partition, e.executorId);
          // The victim is an executor that really holds map outputs: which executor ran which map task is a race.
          if (!killed && e.type === "TaskStart" && e.stageId === stages[1]?.stageId) {
            killed = [...mapOwner.values()].sort()[0]!;
            cluster!.kill(killed, "test: killed mid reduce stage");
          }
        });
        let got: [string, number][];
        try {
          got = await session.parallelize(lines, 4).flatMap((l) => l.split(" ")).map((w): [string, number] => [w, 1]).reduceByKey((a, b) => a + b, 3).collect();
        } finally { off(); }
        same(got.sort(byKey), [...expected].sort(byKey), "word counts after the loss");
        check(events.slice(start).some((e) => e.type === "ExecutorRemoved" && e.executorId === killed), "the lost executor is reported");
        const lost = [...mapOwner].filter(([, e]) => e === killed).map(([p]) => p).sort();
        const mapStageId = submitted()[0]!.stageId;
        const rerun = [...new Set(submitted().filter((s) => s.stageId === mapStageId && s.attempt > 0).flatMap((s) => s.partitions))].sort();
        check(lost.length > 0, "the killed executor held map outputs");
        same(rerun, lost, "map partitions rerun");
      });
    }
  });
}
