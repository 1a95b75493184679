/**
 * The notebook page: data and cluster controls on the left, cells in the
 * middle, the live job view, executors and teaching scenarios on the
 * right. Cells run one at a time, in the order they are asked for.
 */
import { useEffect, useState } from "preact/hooks";
import { signal } from "@preact/signals";
import type { NotebookEngine, TableInfo } from "../engine.ts";
import { cells, runs, settings, setRun, addCell, generation } from "../notebook-state.ts";
import { runCell, describeFailure } from "../run-cell.ts";
import { SAMPLE_FILES } from "../sample-data.ts";
import { keepFile } from "../dropped-files.ts";
import { Cell } from "./cell.tsx";
import { DataPanel } from "./data-panel.tsx";
import { Controls } from "./controls.tsx";
import { JobPanel, ExecutorsPanel } from "./job-view.tsx";
import { ScenariosPanel } from "./scenarios-panel.tsx";

export const tables = signal<TableInfo[]>([]);
const busy = signal(0);
let queue: Promise<void> = Promise.resolve();

export function refreshTables(engine: NotebookEngine): void {
  tables.value = [...engine.tables.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs a cell after whatever is running; its jobs are tagged with the cell's id. */
export function runCellById(engine: NotebookEngine, id: string): Promise<void> {
  busy.value++;
  queue = queue.then(async () => {
    const cell = cells.value.find((c) => c.id === id);
    if (!cell) return;
    setRun(id, { status: "running" });
    engine.store.owner = id;
    try {
      const output = await runCell(engine.session, cell.language, cell.source, { sample: SAMPLE_FILES });
      setRun(id, { status: "done", output });
    } catch (e) {
      setRun(id, { status: "failed", failure: describeFailure(e, cell.source) });
    } finally {
      engine.store.owner = null;
      refreshTables(engine); // a cell may have registered a view
    }
  }).finally(() => { busy.value--; });
  return queue;
}

export function App({ engine, isolated, ready }: { engine: NotebookEngine; isolated: boolean; ready: boolean }) {
  const [jobId, setJobId] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const schema = Object.fromEntries(tables.value.map((t) => [t.name, t.fields.map((f) => f.name)]));

  const addFiles = async (files: File[]) => {
    for (const file of files) {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const info = await engine.registerFile(file.name, bytes, "dropped file");
        await keepFile(file.name, bytes);
        setMessage(`${file.name} is table '${info.name}' (${info.fields.length} columns).`);
      } catch (e) {
        setMessage(`${file.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    refreshTables(engine);
  };
  const addUrl = async (url: string) => {
    try {
      const info = await engine.registerUrl(url);
      setMessage(`${url} is table '${info.name}'.`);
    } catch (e) {
      setMessage(`${url}: ${e instanceof Error ? e.message : String(e)}`);
    }
    refreshTables(engine);
  };
  useEffect(() => {
    const over = (e: DragEvent) => { e.preventDefault(); };
    const drop = (e: DragEvent) => { e.preventDefault(); void addFiles([...(e.dataTransfer?.files ?? [])]); };
    document.addEventListener("dragover", over);
    document.addEventListener("drop", drop);
    return () => { document.removeEventListener("dragover", over); document.removeEventListener("drop", drop); };
  }, []);

  const onRun = (id: string, advance: boolean) => {
    void runCellById(engine, id);
    if (!advance) return;
    const list = cells.value, at = list.findIndex((c) => c.id === id);
    const next = list[at + 1] ?? addCell(id, list[at]?.language ?? "sql");
    requestAnimationFrame(() => (document.querySelector(`[data-cell="${next.id}"] .cm-content`) as HTMLElement | null)?.focus());
  };
  const setExecutors = async (n: number) => {
    settings.value = { ...settings.value, executors: n };
    await engine.startCluster(n);
  };

  return (
    <div class="app" data-testid="notebook" data-ready={ready ? "true" : "false"} data-isolated={isolated ? "true" : "false"}>
      {!isolated && (
        <div class="banner" data-testid="isolation-banner">
          This page is not cross-origin isolated (the host dropped the COOP/COEP headers), so SharedArrayBuffer is unavailable:
          executors exchange blocks by copying ArrayBuffers. Everything works, more slowly.
        </div>
      )}
      <header><h1>Cinder notebook</h1><span class="muted">Spark-style jobs on {settings.value.executors} Web Worker executor(s), in this tab</span></header>
      <aside class="left">
        <DataPanel tables={tables.value} onFiles={addFiles} onUrl={addUrl} message={message} />
        <Controls engine={engine} busy={busy.value > 0} onExecutors={setExecutors} />
      </aside>
      <main class="cells">
        {cells.value.map((cell) => (
          <Cell key={`${cell.id}:${generation.value}`} cell={cell} run={runs.value[cell.id]} engine={engine} schema={schema} onRun={(advance) => onRun(cell.id, advance)} onOpenJob={setJobId} />
        ))}
        <div class="add-cell">
          <button onClick={() => addCell(null, "sql")} data-testid="add-sql">+ SQL cell</button>
          <button onClick={() => addCell(null, "js")}>+ JS/TS cell</button>
        </div>
      </main>
      <aside class="right">
        <JobPanel store={engine.store} jobId={jobId} onPick={setJobId} />
        <ExecutorsPanel store={engine.store} />
        <ScenariosPanel engine={engine} onJob={setJobId} />
      </aside>
    </div>
  );
}
