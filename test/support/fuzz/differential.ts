/**
 * Runs fuzz queries on Cinder (in process, and on a cluster of 2 executors
 * with shuffled joins) and on DuckDB over the same Parquet files, and says
 * whether the answers agree. Both engines refusing a query (an overflow,
 * say) counts as agreement; one refusing it alone does not.
 */
import { writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Session, CinderError } from "../../../src/index.ts";
import { Cluster } from "../../../src/cluster/cluster.ts";
import { duckRows, duckRun, scratchDir } from "../duckdb-oracle.ts";
import { rowsDifference } from "../compare.ts";
import type { FuzzTable } from "./tables.ts";
import type { FuzzQuery } from "./queries.ts";

export type Outcome = { rows: unknown[][] } | { error: string };

export interface Verdict {
  agreed: boolean;
  /** Both engines refused the query. */
  bothFailed: boolean;
  /** What differed, naming the Cinder setup. */
  difference?: string;
}

export interface Engines {
  /** Cinder setups by name: each has the world's tables registered as temp views. */
  sessions: { name: string; session: Session }[];
  stop(): Promise<void>;
}

let worldCount = 0;

/** Writes the tables as Parquet (split into the tables' files), loads them into DuckDB and into each Cinder setup. */
export async function loadWorld(tables: readonly FuzzTable[]): Promise<Engines> {
  const dir = join(scratchDir, `world-${process.pid}-${worldCount++}`);
  mkdirSync(dir, { recursive: true });
  const files: Record<string, Uint8Array[]> = {};
  for (const t of tables) {
    const columns = t.columns.map((c) => `${c.name} ${c.sqlType}`).join(", ");
    await duckRun(`CREATE OR REPLACE TABLE ${t.name}_src (${columns})`);
    for (let at = 0; at < t.rows.length; at += 500) {
      await duckRun(`INSERT INTO ${t.name}_src VALUES ${t.rows.slice(at, at + 500).map((r) => `(${r.join(", ")})`).join(", ")}`);
    }
    const paths: string[] = [];
    let offset = 0;
    for (const [i, n] of t.files.entries()) {
      const path = join(dir, `${t.name}-${i}.parquet`);
      await duckRun(`COPY (SELECT * FROM ${t.name}_src ORDER BY id LIMIT ${n} OFFSET ${offset}) TO '${path}' (FORMAT parquet)`);
      offset += n;
      paths.push(path);
    }
    await duckRun(`CREATE OR REPLACE TABLE ${t.name} AS SELECT * FROM read_parquet([${paths.map((p) => `'${p}'`).join(", ")}])`);
    files[t.name] = paths.map((p) => new Uint8Array(readFileSync(p)));
  }

  const local = new Session();
  const distributed = new Session({ "shuffle.partitions": 3, autoBroadcastJoinThreshold: 0 });
  const cluster = await Cluster.start({ executors: 2, kind: "in-process" });
  distributed.backend = cluster.backend();
  for (const session of [local, distributed]) {
    for (const t of tables) (await session.read.parquet(...files[t.name]!)).createOrReplaceTempView(t.name);
  }
  return {
    sessions: [{ name: "in-process", session: local }, { name: "2 executors", session: distributed }],
    stop: () => cluster.stop(),
  };
}

function describeError(e: unknown): string {
  if (CinderError.is(e)) return `${e.code}: ${e.message}`;
  return `not a CinderError: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
}

async function outcome(run: () => Promise<unknown[][]>): Promise<Outcome> {
  try { return { rows: await run() }; } catch (e) { return { error: describeError(e) }; }
}

/** Runs one query everywhere and compares. */
export async function runQuery(engines: Engines, query: FuzzQuery): Promise<Verdict> {
  const expected = await outcome(() => duckRows(query.duck));
  let bothFailed = false;
  for (const { name, session } of engines.sessions) {
    const actual = await outcome(() => session.sql(query.spark).collectArrays());
    if ("error" in actual) {
      if ("error" in expected && !actual.error.startsWith("not a CinderError")) { bothFailed = true; continue; }
      return { agreed: false, bothFailed: false, difference: `${name}: Cinder failed: ${actual.error}${"error" in expected ? `\nDuckDB failed too: ${expected.error}` : ""}` };
    }
    if ("error" in expected) return { agreed: false, bothFailed: false, difference: `${name}: DuckDB failed: ${expected.error}\nCinder returned ${actual.rows.length} rows` };
    const difference = rowsDifference(actual.rows, expected.rows, { ordered: query.ordered });
    if (difference) return { agreed: false, bothFailed: false, difference: `${name}: ${difference}` };
  }
  return { agreed: true, bothFailed };
}

/** A failure kept as a regression test: the tables' rows and both spellings of the (shrunk) query. */
export interface Regression {
  found: string;
  seed: number;
  tables: FuzzTable[];
  query: FuzzQuery;
  difference: string;
}

/** Keeps only the tables the query names, so the saved case stays small. */
export function regressionOf(seed: number, tables: readonly FuzzTable[], query: FuzzQuery, difference: string): Regression {
  const used = tables.filter((t) => new RegExp(`\\b${t.name}\\b`).test(query.spark));
  return { found: new Date().toISOString().slice(0, 10), seed, tables: used, query, difference };
}

export function saveRegression(dir: string, regression: Regression): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `seed-${regression.seed}-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify(regression, null, 1) + "\n");
  return path;
}
