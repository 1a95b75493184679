/**
 * `npm start` / `npm run build` / `npm run preview`: the notebook through
 * vite's API, so the start prints exactly one line with the page's URL.
 * Before serving or building, the TPC-H sample (a small scale factor,
 * generated with DuckDB, a dev dependency) is written to demo/data/tpch/
 * if it is missing.
 *
 *   tsx scripts/notebook.ts dev [--port 5173]
 *   tsx scripts/notebook.ts build
 *   tsx scripts/notebook.ts preview [--port 4173]
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createServer, build, preview } from "vite";
import { tpchDataDir } from "../bench/tpch-data.ts";

/** TPC-H scale of the bundled sample: 60,000 lineitems, small enough to load at once in a tab. */
export const SAMPLE_TPCH_SF = 0.01;

const { positionals, values } = parseArgs({ allowPositionals: true, options: { port: { type: "string" } } });
const command = positionals[0] ?? "dev";
const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));
const port = values.port === undefined ? undefined : Number(values.port);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`error WRONG_ARGUMENT: --port must be a port number (0-65535), got '${values.port}'`);
  process.exit(2);
}

await tpchDataDir(SAMPLE_TPCH_SF, () => undefined, fileURLToPath(new URL("../demo/data/tpch/", import.meta.url)));

if (command === "dev") {
  const server = await createServer({ configFile, ...(port !== undefined ? { server: { port } } : {}) });
  await server.listen();
  console.log(`Notebook: ${server.resolvedUrls!.local[0]}`);
} else if (command === "build") {
  await build({ configFile });
  console.log("Notebook site written to dist-site/");
} else if (command === "preview") {
  const server = await preview({ configFile, ...(port !== undefined ? { preview: { port } } : {}) });
  console.log(`Notebook: ${server.resolvedUrls!.local[0]}`);
} else {
  console.error(`error WRONG_ARGUMENT: unknown command '${command}'; use dev, build or preview`);
  process.exit(2);
}
