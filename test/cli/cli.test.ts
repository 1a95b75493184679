/**
 * The `cinder` command line, spawned as a process on small Parquet files
 * (written by DuckDB): JSON output equals DuckDB's rows, CSV and table
 * formats, --tables DIR naming, --conf, --explain, --workers, --executors, --allow-full-download, and errors as one line on
 * stderr with a non-zero exit (a syntax error with its caret excerpt), and
 * Ctrl-C cancelling a running query (JOB_ABORTED, exit 130).
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, copyFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session } from "../../src/index.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";
import { startLocalExecutors, stopLocalExecutors } from "../../edge/local-executors.ts";
import { startRangeServer } from "../io/range-server.ts";

/** `cinder` as a child process that does not block this one (for servers this process runs). */
function cinderAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args]);
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d; });
    child.stderr.on("data", (d: Buffer) => { stderr += d; });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function cinder(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("cinder CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "cinder-cli-"));
  before(async () => {
    await loadTables(new Session(), ["facts", "dims"]);
    copyFileSync(join(scratchDir, "facts.parquet"), join(dir, "facts.parquet"));
    copyFileSync(join(scratchDir, "dims.parquet"), join(dir, "dims.parquet"));
  });

  it("prints one JSON object equal to DuckDB's rows, dates as YYYY-MM-DD", async () => {
    const sql = "SELECT f.k, d.name, count(*) AS n, sum(f.p) AS total, min(f.d) AS first_day FROM facts f JOIN dims d ON f.k = d.k GROUP BY f.k, d.name ORDER BY f.k";
    const r = cinder("sql", sql, "--tables", dir, "--format", "json");
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { columns: string[]; rows: unknown[][] };
    assert.deepEqual(out.columns, ["k", "name", "n", "total", "first_day"]);
    assert.match(String(out.rows[0]![4]), /^\d{4}-\d{2}-\d{2}$/);
    assertRowsEqual(out.rows, await duckRows(sql), { ordered: true });
  });

  it("reads the query from -f and tables from --table NAME=PATH, writes CSV", async () => {
    const file = join(dir, "q.sql");
    writeFileSync(file, "-- names with commas need quotes\nSELECT k, name || ',x' AS label FROM things WHERE k < 3 ORDER BY k\n");
    const r = cinder("sql", "-f", file, "--table", `things=${join(dir, "dims.parquet")}`, "--format", "csv");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'k,label\n0,"name0,x"\n1,"name1,x"\n2,"name2,x"\n');
  });

  it("prints a table by default, with NULL cells", () => {
    const r = cinder("sql", "SELECT k FROM dims WHERE k IS NULL OR k = 3 ORDER BY k", "--tables", dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "+----+\n|   k|\n+----+\n|NULL|\n|   3|\n+----+\n");
  });

  it("accepts --conf and --workers, and --explain prints the plans", () => {
    const r = cinder("sql", "SELECT count(*) FROM facts", "--tables", dir, "--conf", "shuffle.partitions=3", "--workers", "0", "--explain");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Physical Plan/);
    const bad = cinder("sql", "SELECT 1", "--conf", "no.such.key=1");
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown config key 'no.such.key'/);
  });

  it("runs in-process as one partition (no shuffle) unless --conf sets shuffle.partitions", async () => {
    // Two files make a two-partition scan: in-process they are read one after the other into one complete
    // aggregation (scan.maxPartitions auto); with more shuffle partitions the group-by shuffles.
    const twoFiles = join(dir, "two");
    mkdirSync(twoFiles, { recursive: true });
    for (const n of ["a", "b"]) copyFileSync(join(dir, "facts.parquet"), join(twoFiles, `${n}.parquet`));
    const sql = "SELECT k, count(*) AS n FROM f2 GROUP BY k";
    const plain = cinder("sql", sql, "--table", `f2=${twoFiles}`, "--explain");
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /HashAggregateExec\(complete\)[^\n]*\n\s*\+- Coalesce 1\n\s*\+- ScanExec [^\n]*partitions=2/);
    assert.doesNotMatch(plain.stdout, /Exchange/);
    const set = cinder("sql", sql, "--table", `f2=${twoFiles}`, "--explain", "--conf", "shuffle.partitions=3");
    assert.match(set.stdout, /Exchange hashpartitioning\(#0, 3\)/);
    const run = cinder("sql", sql, "--table", `f2=${twoFiles}`, "--format", "json");
    assert.equal(run.status, 0, run.stderr);
    assertRowsEqual((JSON.parse(run.stdout) as { rows: unknown[][] }).rows,
      await duckRows("SELECT k, count(*) * 2 AS n FROM facts GROUP BY k"));
  });

  it("runs on worker-thread executors with --workers N", async () => {
    const sql = "SELECT k, count(*) AS n, sum(v) AS total FROM facts GROUP BY k ORDER BY k NULLS FIRST";
    const r = cinder("sql", sql, "--tables", dir, "--format", "json", "--workers", "2", "--conf", "shuffle.partitions=4");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "", "no progress line when stderr is not a terminal");
    assertRowsEqual((JSON.parse(r.stdout) as { rows: unknown[][] }).rows, await duckRows(sql), { ordered: true });
  });

  it("--stats writes one JSON object on stderr after the result: stages, tasks, shuffle bytes, executors", async () => {
    // The file is one split: the hint makes the query shuffle, so there is a map stage to report.
    const sql = "SELECT /*+ REPARTITION(4, k) */ k, count(*) AS n, sum(v) AS total FROM facts GROUP BY k ORDER BY k NULLS FIRST";
    const r = cinder("sql", sql, "--tables", dir, "--format", "json", "--workers", "2", "--conf", "adaptive.enabled=0", "--stats");
    assert.equal(r.status, 0, r.stderr);
    const duck = await duckRows("SELECT k, count(*) AS n, sum(v) AS total FROM facts GROUP BY k ORDER BY k NULLS FIRST");
    assertRowsEqual((JSON.parse(r.stdout) as { rows: unknown[][] }).rows, duck, { ordered: true });
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, "one line on stderr");
    const { stats } = JSON.parse(lines[0]!) as { stats: { rows: number; jobs: number; stages: { kind: string; tasks: number; shuffleBytesWritten: number; shuffleBytesRead: number }[]; tasks: { launched: number; succeeded: number }; shuffleBytesWritten: number; shuffleBytesRead: number; spillBytes: number; executors: { tasks: number }[] } };
    assert.equal(stats.rows, duck.length);
    assert.ok(stats.jobs >= 1);
    const map = stats.stages.filter((s) => s.kind === "shuffleMap"), result = stats.stages.filter((s) => s.kind === "result");
    assert.ok(map.length >= 1 && result.length >= 1, JSON.stringify(stats.stages));
    assert.ok(map.every((s) => s.shuffleBytesWritten > 0), "map stages wrote shuffle bytes");
    assert.ok(stats.shuffleBytesRead >= stats.shuffleBytesWritten && stats.shuffleBytesWritten > 0, "what was written was read (a range sort's sampling pass reads its input twice)");
    assert.equal(stats.tasks.succeeded, stats.tasks.launched);
    assert.equal(stats.executors.reduce((n, e) => n + e.tasks, 0), stats.tasks.launched);
    assert.equal(stats.spillBytes, 0);
    const local = cinder("sql", "SELECT count(*) AS n FROM facts", "--tables", dir, "--stats");
    assert.equal(local.status, 0, local.stderr);
    const inProcess = (JSON.parse(local.stderr) as { stats: { rows: number; stages: unknown[]; scans: unknown[] } }).stats;
    assert.deepEqual([inProcess.rows, inProcess.stages.length, inProcess.scans.length], [1, 0, 1], "in-process: no stages, one file scan");
  });

  it("runs on edge executors with --executors URL,URL (secret from CINDER_EDGE_SECRET), leaving out one that does not answer", async () => {
    const executors = await startLocalExecutors({ executors: 2, runtime: "node", secret: "cli-secret" });
    try {
      const sql = "SELECT k, count(*) AS n, sum(v) AS total FROM facts GROUP BY k ORDER BY k NULLS FIRST";
      const urls = [...executors.map((e) => e.url), "http://127.0.0.1:9"].join(",");
      const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "sql", sql, "--tables", dir, "--format", "json", "--executors", urls],
        { encoding: "utf8", env: { ...process.env, CINDER_EDGE_SECRET: "cli-secret" } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^warning: executor http:\/\/127\.0\.0\.1:9 did not answer its health check .*; running on the others\n$/);
      assertRowsEqual((JSON.parse(r.stdout) as { rows: unknown[][] }).rows, await duckRows(sql), { ordered: true });
      const wrong = cinder("sql", sql, "--tables", dir, "--executors", executors[0]!.url, "--secret", "not-the-secret");
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, /refused this driver.s job token \(the job token is forged/);
    } finally { await stopLocalExecutors(executors); }
    const noSecret = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "sql", "SELECT 1", "--executors", "http://127.0.0.1:9"],
      { encoding: "utf8", env: { ...process.env, CINDER_EDGE_SECRET: "" } });
    assert.equal(noSecret.status, 2);
    assert.match(noSecret.stderr, /--executors needs the executors' secret/);
  });

  it("reads a Parquet URL whose server ignores Range only with --allow-full-download, and its error says so", async () => {
    const server = await startRangeServer(join(dir, "facts.parquet"), { ignoreRange: true });
    try {
      const sql = "SELECT count(*) AS n, sum(v) AS v FROM facts";
      const refused = await cinderAsync("sql", sql, "--table", `facts=${server.url}`);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /^error IO_ERROR: the server for .* ignored the Range header.*--allow-full-download/);
      assert.equal(refused.stdout, "");
      const allowed = await cinderAsync("sql", sql, "--table", `facts=${server.url}`, "--allow-full-download", "--format", "json");
      assert.equal(allowed.status, 0, allowed.stderr);
      const expected = await duckRows(`SELECT count(*), sum(v) FROM '${join(dir, "facts.parquet")}'`);
      assertRowsEqual((JSON.parse(allowed.stdout) as { rows: unknown[][] }).rows, expected);
      const viaConf = await cinderAsync("sql", sql, "--table", `facts=${server.url}`, "--conf", "io.allowFullDownload=true", "--format", "json");
      assert.equal(viaConf.status, 0, viaConf.stderr);
    } finally { await server.close(); }
  });

  it("reports a syntax error with its caret excerpt on stderr and exits non-zero", () => {
    const r = cinder("sql", "SELECT k FROM facts WHERE", "--tables", dir);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "error PARSE_SYNTAX_ERROR: expected an expression, found end of input (line 1, column 26)\nSELECT k FROM facts WHERE\n                         ^\n");
  });

  it("reports unknown tables and columns with suggestions", () => {
    const table = cinder("sql", "SELECT * FROM fact", "--tables", dir);
    assert.equal(table.status, 1);
    assert.match(table.stderr, /^error UNRESOLVED_TABLE: unknown table or view 'fact'; did you mean facts\?/);
    assert.equal(table.stderr.trim().split("\n").length, 1);
    const column = cinder("sql", "SELECT nmae FROM dims", "--tables", dir);
    assert.equal(column.status, 1);
    assert.match(column.stderr, /^error UNRESOLVED_COLUMN: unknown column 'nmae'; did you mean 'name'/);
  });

  it("rejects usage mistakes with exit code 2", () => {
    assert.equal(cinder("sql").status, 2);
    assert.equal(cinder("query", "SELECT 1").status, 2);
    const f = cinder("sql", "SELECT 1", "--format", "xml");
    assert.equal(f.status, 2);
    assert.match(f.stderr, /^error WRONG_ARGUMENT: unknown --format 'xml'; use table, json or csv \(cinder --help shows the usage\)\n$/);
  });

  it("gives errors as one JSON object on stdout with --format json, and never a stack trace", () => {
    const r = cinder("sql", "SELECT nmae FROM dims", "--tables", dir, "--format", "json");
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "");
    const body = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.deepEqual(Object.keys(body.error), ["code", "message"]);
    assert.equal(body.error.code, "UNRESOLVED_COLUMN");
    const conf = cinder("sql", "SELECT 1", "--conf", "shuffle.partitions=0", "--format=json");
    assert.equal(conf.status, 1);
    assert.match((JSON.parse(conf.stdout) as { error: { code: string; message: string } }).error.message, /'shuffle.partitions' must be at least 1/);
    const missing = cinder("sql", "SELECT 1", "--table", "t=/no/such/file.parquet");
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^error IO_ERROR: /);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
    assert.equal(missing.stderr.trim().split("\n").length, 1);
  });
});

describe("Ctrl-C in the CLI", () => {
  it("cancels the running query: one error line JOB_ABORTED on stderr, nothing on stdout, exit 130", async () => {
    // 10^10 rows of cross join: many minutes of work, interrupted after the CLI has started it.
    const ten = Array.from({ length: 10 }, (_, i) => `SELECT ${i} AS x`).join(" UNION ALL ");
    const sql = `WITH d AS (${ten}) SELECT count(*) FROM d a, d b, d c, d e, d f, d g, d h, d i, d j, d k`;
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "sql", sql, "--workers", "1"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d; });
    child.stderr.on("data", (d: Buffer) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const interrupt = setTimeout(() => child.kill("SIGINT"), 6000);
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    try {
      const code = await exited;
      assert.equal(stderr, "error JOB_ABORTED: the query was cancelled: interrupted (Ctrl-C)\n");
      assert.equal(stdout, "");
      assert.equal(code, 130);
    } finally { clearTimeout(interrupt); clearTimeout(guard); }
  });
});
