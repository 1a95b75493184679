/**
 * Entry point of the `cinder` command (see run.ts); `bin/cinder.mjs` loads it. `npm run build` bundles
 * it into one file (scripts/bundle-node.mjs): resolving and loading ~300 modules one by one took most
 * of a short query's time.
 */
import { runCli } from "./run.ts";
import * as workerThreads from "../cluster/worker-thread-executor.ts";
import { provideWorkerThreads } from "../cluster/cluster.ts";

provideWorkerThreads(workerThreads);

// Under `cinder sql` the first Ctrl-C cancels the running query (its error line is printed, exit 130)
// and a second one kills the process; other commands keep Node's default (the shell's readline has its own).
const interrupt = new AbortController();
if (process.argv[2] === "sql") {
  process.once("SIGINT", () => {
    interrupt.abort("interrupted (Ctrl-C)");
    process.once("SIGINT", () => process.exit(130));
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  interrupt: interrupt.signal,
  stdout: (text) => { process.stdout.write(text); },
  stderr: (text) => { process.stderr.write(text); },
  stderrIsTTY: process.stderr.isTTY === true,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY === true,
});
