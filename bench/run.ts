/**
 * `npm run bench`: runs every `bench/*.bench.ts` in its own process (so one
 * benchmark's heap does not skew the next) and prints their reports.
 * Pass names to run a subset: `npm run bench -- group-by join`. Each runs
 * with the starting heap the `cinder` launcher gives the CLI (v8-heap.ts),
 * so in-process figures are the command's.
 */
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { INITIAL_OLD_SPACE_MB } from "../src/cluster/v8-heap.ts";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith(".bench.ts") && (wanted.length === 0 || wanted.some((w) => f.includes(w)))).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--max-old-space-size=8192", `--initial-old-space-size=${INITIAL_OLD_SPACE_MB}`, join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
