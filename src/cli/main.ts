/** Entry point of the `cinder` command (see run.ts); `bin/cinder.mjs` loads it. */
import { runCli } from "./run.ts";

// The first Ctrl-C cancels the running query (its error line is printed, exit 130); a second one kills the process.
const interrupt = new AbortController();
process.once("SIGINT", () => {
  interrupt.abort("interrupted (Ctrl-C)");
  process.once("SIGINT", () => process.exit(130));
});

process.exitCode = await runCli(process.argv.slice(2), {
  interrupt: interrupt.signal,
  stdout: (text) => { process.stdout.write(text); },
  stderr: (text) => { process.stderr.write(text); },
  stderrIsTTY: process.stderr.isTTY === true,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY === true,
});
