/**
 * `cinder shell`: statements cut at top-level semicolons (not inside
 * strings, quoted names or comments); the shell spawned as a process and
 * driven through stdin (results equal DuckDB's, an error is one stderr line
 * and the next statement still runs, views persist between statements,
 * exit code 1 when a script's last statement fails); and the interactive
 * mode driven through a stream as a terminal (prompts, continuation prompt,
 * history loaded from and appended to the history file).
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Session } from "../../src/index.ts";
import { StatementSplitter } from "../../src/cli/statements.ts";
import { runShell } from "../../src/cli/shell.ts";
import { loadTables } from "../support/datasets.ts";
import { duckRows, scratchDir } from "../support/duckdb-oracle.ts";
import { assertRowsEqual } from "../support/compare.ts";

function shell(input: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "shell", ...args], { encoding: "utf8", input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("StatementSplitter", () => {
  it("ends statements only at top-level semicolons, across lines", () => {
    const s = new StatementSplitter();
    assert.deepEqual(s.push("SELECT 'a;b' AS x, \"c;d\" AS `e;f` -- not; here"), []);
    assert.ok(s.pending);
    assert.deepEqual(s.push("/* nor; here */ FROM t; SELECT 2;"), ["SELECT 'a;b' AS x, \"c;d\" AS `e;f` -- not; here\n/* nor; here */ FROM t", "SELECT 2"]);
    assert.equal(s.pending, false);
    assert.deepEqual(s.push("SELECT 'it''s; fine'"), []);
    assert.deepEqual(s.push(";;"), ["SELECT 'it''s; fine'"]);
    assert.deepEqual(s.push("-- only a comment"), []);
    assert.equal(s.pending, false);
    assert.deepEqual(s.push("SELECT 'open"), []);
    assert.deepEqual(s.push("quote;'"), []);
    assert.equal(s.rest(), "SELECT 'open\nquote;'");
  });
});

describe("cinder shell", () => {
  const dir = mkdtempSync(join(tmpdir(), "cinder-shell-"));
  before(async () => {
    await loadTables(new Session(), ["facts", "dims"]);
    copyFileSync(join(scratchDir, "facts.parquet"), join(dir, "facts.parquet"));
    copyFileSync(join(scratchDir, "dims.parquet"), join(dir, "dims.parquet"));
  });

  it("runs statements read from stdin, one result per statement, and keeps going after an error", async () => {
    const sql = "SELECT f.k, d.name, count(*) AS n FROM facts f JOIN dims d ON f.k = d.k GROUP BY f.k, d.name ORDER BY f.k";
    const input = [
      "SHOW TABLES;",
      `${sql.replace(" FROM", "\n  FROM").replace(" GROUP", "\n  GROUP")};`,
      "SELECT nope FROM dims;",
      "CREATE TEMP VIEW big AS SELECT k FROM dims WHERE k > 25; SELECT count(*) AS c FROM big;",
    ].join("\n");
    const r = shell(input, "--tables", dir, "--format", "json");
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 4, r.stdout);
    assert.deepEqual(JSON.parse(lines[0]!).rows, [["dims", true], ["facts", true]]);
    assertRowsEqual(JSON.parse(lines[1]!).rows, await duckRows(sql), { ordered: true });
    assert.equal(lines[2], "OK");
    assert.deepEqual(JSON.parse(lines[3]!).rows, await duckRows("SELECT count(*) FROM dims WHERE k > 25"));
    assert.match(r.stderr, /^error UNRESOLVED_COLUMN: unknown column 'nope'/);
    assert.equal(r.stderr.trim().split("\n").length, 1);
  });

  it("runs a last statement without ';' at end of input, and exits 1 when the last statement fails", () => {
    const ok = shell("SELECT 1 AS one", "--format", "csv");
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout, "one\n1\n");
    const bad = shell("SELECT 1 AS one;\nSELECT FROM;\n", "--format", "csv");
    assert.equal(bad.status, 1);
    assert.equal(bad.stdout, "one\n1\n");
    assert.match(bad.stderr, /^error PARSE_SYNTAX_ERROR: .*\(line 1, column \d+\)\nSELECT FROM\n +\^\n$/);
  });

  it("rejects a query argument: the shell reads its statements from input", () => {
    const r = shell("", "SELECT 1");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /'shell' reads statements from its input/);
  });

  it("prompts, continues multi-line statements and keeps history when interactive", async () => {
    const historyFile = join(dir, "history");
    writeFileSync(historyFile, "SELECT 'from before';\n");
    const input = new PassThrough(), terminal = new PassThrough();
    let screen = "", out = "", err = "";
    terminal.on("data", (d: Buffer) => { screen += d.toString(); });
    const done = runShell(new Session(), async (session, text) => `${JSON.stringify(await session.sql(text).collectArrays())}\n`,
      { input, interactive: true, terminalOutput: terminal, historyFile, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    input.write("SELECT 1 + 1\n");
    input.write("  AS two;\n");
    input.write(".help\n");
    input.write(".exit\n");
    assert.equal(await done, 0);
    assert.equal(err, "");
    assert.match(screen, /cinder> /);
    assert.match(screen, /   \.\.\.> /);
    assert.match(out, /\[\[2\]\]\n/);
    assert.match(out, /\.exit \/ \.quit/);
    assert.equal(readFileSync(historyFile, "utf8"), "SELECT 'from before';\nSELECT 1 + 1 AS two;\n");
  });
});
