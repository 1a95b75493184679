/**
 * `cinder shell`: an interactive SQL prompt over one session. Statements
 * end with `;` and may span lines (`cinder> ` starts one, `   ...> `
 * continues it); each result prints in the chosen format, an error prints
 * one line (a syntax error with its caret excerpt) and the prompt goes on.
 * On a terminal, node:readline gives line editing and history (up/down),
 * kept between runs in `~/.cinder_history`; with piped input there is no
 * prompt and no history file, so `cinder shell < script.sql` prints only
 * results. `.exit`, `.quit` or end of input leaves; `.help` lists these.
 */
import { createInterface } from "node:readline";
import { appendFileSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Session } from "../api/session.ts";
import { errorLine } from "./format.ts";
import { StatementSplitter } from "./statements.ts";

export interface ShellIO {
  input: NodeJS.ReadableStream;
  /** True when input is a terminal: prompts, line editing and history are on. */
  interactive: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Where readline echoes and draws prompts when interactive (default process.stdout). */
  terminalOutput?: NodeJS.WritableStream;
  /** Where the history is kept (default `~/.cinder_history`); null keeps none. */
  historyFile?: string | null;
}

/** Runs one statement and returns its printed result. */
export type StatementRunner = (session: Session, text: string) => Promise<string>;

const HELP = `Statements end with ';' and may span lines. SHOW TABLES; DESCRIBE t; EXPLAIN SELECT ...;
.help  this text    .exit / .quit  leave (or end of input)`;
const HISTORY_SIZE = 500;

/**
 * Reads statements from `io.input` until it ends or `.exit`; returns the
 * exit code (1 if the last statement failed with piped input, like a script).
 */
export async function runShell(session: Session, run: StatementRunner, io: ShellIO): Promise<number> {
  const historyFile = io.interactive ? (io.historyFile === undefined ? join(homedir(), ".cinder_history") : io.historyFile) : null;
  const rl = createInterface({
    input: io.input,
    output: io.interactive ? io.terminalOutput ?? process.stdout : undefined,
    terminal: io.interactive,
    historySize: HISTORY_SIZE,
    history: historyFile ? loadHistory(historyFile) : [],
  });
  const splitter = new StatementSplitter();
  let failed = false;
  const prompt = () => { if (io.interactive) { rl.setPrompt(splitter.pending ? "   ...> " : "cinder> "); rl.prompt(); } };
  const execute = async (text: string) => {
    try {
      io.stdout(await run(session, text));
      failed = false;
    } catch (e) {
      failed = true;
      io.stderr(errorLine(e));
    }
  };
  if (io.interactive) io.stdout(`Cinder SQL shell. ${HELP}\n`);
  prompt();
  for await (const line of rl) {
    const command = line.trim();
    if (!splitter.pending && command.startsWith(".")) {
      if (command === ".exit" || command === ".quit") break;
      if (command === ".help") io.stdout(`${HELP}\n`);
      else io.stderr(`unknown command '${command}'; try .help\n`);
      prompt();
      continue;
    }
    const statements = splitter.push(line);
    if (historyFile && statements.length) saveHistory(historyFile, statements);
    for (const text of statements) await execute(text);
    prompt();
  }
  rl.close();
  const rest = splitter.rest();
  // A last statement without its ';' still runs when the input ends (as in a script file).
  if (rest) await execute(rest);
  return failed && !io.interactive ? 1 : 0;
}

function loadHistory(file: string): string[] {
  try {
    // readline wants the most recent entry first.
    return readFileSync(file, "utf8").split("\n").filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

function saveHistory(file: string, statements: string[]): void {
  try {
    appendFileSync(file, statements.map((s) => `${s.replace(/\s*\n\s*/g, " ")};\n`).join(""));
  } catch {
    // A history that cannot be written (read-only home) must not stop the shell.
  }
}
