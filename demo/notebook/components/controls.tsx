/**
 * The notebook's controls: executors (Web Workers), the common config
 * keys, Cancel, and the notebook file (export, import, reset).
 */
import type { ConfigKey } from "cinder";
import { COMMON_CONFIG } from "../engine.ts";
import type { NotebookEngine } from "../engine.ts";
import { settings, exportNotebook, importNotebook, resetNotebook } from "../notebook-state.ts";

interface Props {
  engine: NotebookEngine;
  busy: boolean;
  onExecutors(n: number): void;
}

export function Controls({ engine, busy, onExecutors }: Props) {
  const s = settings.value;
  const setConf = (key: ConfigKey, raw: string) => {
    const value = Number(raw);
    try {
      engine.session.conf.set(key, value);
      settings.value = { ...s, config: { ...s.config, [key]: value } };
    } catch (e) {
      alert(e instanceof Error ? e.message : String(e));
    }
  };
  const save = () => {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(exportNotebook());
    a.download = "notebook.cinder.json";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  const load = async (file: File | undefined) => {
    if (!file) return;
    try { importNotebook(await file.text()); } catch (e) { alert(`could not import ${file.name}: ${e instanceof Error ? e.message : String(e)}`); }
  };
  return (
    <section class="panel controls">
      <h2>Cluster</h2>
      <label>executors (Web Workers)
        <input type="number" min="1" max="32" value={s.executors} data-testid="executors"
          onChange={(e) => onExecutors(Math.max(1, Number((e.target as HTMLInputElement).value) || 1))} />
      </label>
      {COMMON_CONFIG.map((key) => (
        <label>{key}
          <input type="number" value={engine.session.conf.get(key)} data-testid={`conf-${key}`} onChange={(e) => setConf(key, (e.target as HTMLInputElement).value)} />
        </label>
      ))}
      <button class="cancel" data-testid="cancel" disabled={!busy} onClick={() => engine.cancel()}>■ Cancel running jobs</button>
      <div class="file-buttons">
        <button onClick={save}>Export notebook</button>
        <label class="button">Import<input type="file" accept=".json" hidden onChange={(e) => load((e.target as HTMLInputElement).files?.[0])} /></label>
        <button onClick={() => { if (confirm("Replace the cells with the examples?")) resetNotebook(); }}>Reset</button>
      </div>
    </section>
  );
}
