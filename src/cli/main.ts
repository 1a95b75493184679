/** Entry point of the `cinder` command (see run.ts); `bin/cinder.mjs` loads it. */
import { runCli } from "./run.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => { process.stdout.write(text); },
  stderr: (text) => { process.stderr.write(text); },
  stderrIsTTY: process.stderr.isTTY === true,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY === true,
});
