/**
 * Boots the notebook: starts the Web Worker executors, registers the
 * bundled sample and the files kept from earlier visits, renders the page
 * and runs the example cells once.
 */
import { render } from "preact";
import { signal } from "@preact/signals";
import { NotebookEngine } from "./engine.ts";
import { registerSamples, SAMPLE_FILES } from "./sample-data.ts";
import { keptFiles } from "./dropped-files.ts";
import { cells, settings } from "./notebook-state.ts";
import { App, refreshTables, runCellById } from "./components/app.tsx";
import "./notebook.css";

const isolated = globalThis.crossOriginIsolated === true;
const ready = signal(false);
const engine = new NotebookEngine(settings.value.config);
const root = document.getElementById("app")!;
const draw = () => render(<App engine={engine} isolated={isolated} ready={ready.value} />, root);
ready.subscribe(draw);

await Promise.all([engine.startCluster(settings.value.executors), registerSamples(engine)]);
for (const file of await keptFiles()) {
  try { await engine.registerFile(file.name, file.bytes, "kept from an earlier visit"); } catch { /* a kept file that no longer reads is skipped, not fatal */ }
}
refreshTables(engine);
ready.value = true;
for (const cell of cells.value) void runCellById(engine, cell.id);
// Tests and automation read the engine from here.
Object.assign(globalThis, { cinderNotebook: engine, cinderSamples: SAMPLE_FILES });
