/**
 * One notebook cell: its editor, run / explain / download controls, the
 * progress of the jobs it ran, and its result as a table or a chart.
 */
import { useState } from "preact/hooks";
import type { CellSpec, CellRun } from "../notebook-state.ts";
import { updateCell, removeCell } from "../notebook-state.ts";
import { CellEditor } from "./cell-editor.tsx";
import { ResultTable } from "./result-table.tsx";
import { ResultChart, specFor } from "./result-chart.tsx";
import { ProgressStrip, formatBytes } from "./job-view.tsx";
import type { NotebookEngine } from "../engine.ts";
import { MAX_DISPLAY_ROWS } from "../run-cell.ts";

interface Props {
  cell: CellSpec;
  run: CellRun | undefined;
  engine: NotebookEngine;
  schema: Record<string, string[]>;
  onRun(advance: boolean): void;
  onOpenJob(jobId: number): void;
}

/** A cell's line showing which join the planner chose, from the physical plan (broadcast or shuffled, and why). */
function joinStrategies(explain: string): string[] {
  return explain.split("\n").filter((l) => /JoinExec/.test(l)).map((l) => l.replace(/^[\s+-]*/, "").replace(/\s\[.*$/, "").replace(/ (inner|left|right|full|semi|anti|cross).*$/, " $1"));
}

export function Cell({ cell, run, engine, schema, onRun, onOpenJob }: Props) {
  const [explain, setExplain] = useState<string | null>(null);
  const output = run?.output;
  const view = cell.view ?? "table";
  const download = (format: "csv" | "parquet" | "arrow") => output?.df?.write.download(`result.${format}`, format);
  const joins = output?.df ? joinStrategies(output.df.explain("simple")) : [];
  const threshold = engine.session.conf.get("autoBroadcastJoinThreshold");
  return (
    <div class={`cell ${run?.status ?? "idle"}`} data-testid="cell" data-cell={cell.id} data-status={run?.status ?? "idle"}>
      <div class="cell-bar">
        <select value={cell.language} onChange={(e) => updateCell(cell.id, { language: (e.target as HTMLSelectElement).value as CellSpec["language"] })}>
          <option value="sql">SQL</option><option value="js">JS / TS</option>
        </select>
        <button data-testid="run-cell" onClick={() => onRun(false)} title="Ctrl/Cmd+Enter (Shift+Enter runs and moves on)">▶ Run</button>
        <button onClick={() => { try { setExplain(explain ? null : (output?.df ?? engine.session.sql(cell.source)).explain(true)); } catch (e) { setExplain(String(e)); } }} data-testid="explain">Explain</button>
        <button class="subtle" onClick={() => removeCell(cell.id)} title="Delete cell">✕</button>
      </div>
      <CellEditor language={cell.language} source={cell.source} schema={schema} failure={run?.failure}
        onChange={(source) => updateCell(cell.id, { source })} onRun={onRun} />
      <div class="cell-output" data-testid="cell-output">
        <ProgressStrip store={engine.store} owner={cell.id} onOpen={onOpenJob} />
        {run?.status === "running" && <div class="muted">running…</div>}
        {run?.failure && (
          <div class="error" data-testid="cell-error" data-code={run.failure.code}>
            <strong>{run.failure.code}</strong>{run.failure.line !== undefined ? ` at line ${run.failure.line}, column ${run.failure.column}` : ""}: {run.failure.message}
            {run.failure.suggestions?.length ? <div>Did you mean: {run.failure.suggestions.join(", ")}?</div> : null}
          </div>
        )}
        {explain && <pre class="explain" data-testid="explain-text">{explain}</pre>}
        {output && (
          <>
            <div class="result-bar">
              <span data-testid="result-summary">{output.table ? `${output.table.numRows.toLocaleString()} row(s)${output.truncated ? ` (first ${MAX_DISPLAY_ROWS.toLocaleString()})` : ""}` : "done"} in {output.elapsedMs} ms</span>
              {joins.map((j) => <span class="join-note" title={`autoBroadcastJoinThreshold = ${threshold} bytes: a side estimated under it is broadcast, else both sides are shuffled`}>{j}</span>)}
              {output.table && (
                <>
                  <button class={view === "table" ? "on" : ""} onClick={() => updateCell(cell.id, { view: "table" })}>Table</button>
                  <button class={view === "chart" ? "on" : ""} data-testid="show-chart" onClick={() => updateCell(cell.id, { view: "chart" })}>Chart</button>
                </>
              )}
              {output.df && (
                <span class="downloads">Download <button onClick={() => download("csv")}>CSV</button><button onClick={() => download("parquet")}>Parquet</button><button onClick={() => download("arrow")}>Arrow</button></span>
              )}
            </div>
            {output.scans.length > 0 && (
              <ul class="scans" data-testid="scans">
                {output.scans.map((scan) => (
                  <li>{scan.source}: {formatBytes(scan.bytesFetched)} fetched in {scan.requests} request(s), {scan.rowGroupsRead} row group(s) read, {scan.rowGroupsSkipped} skipped by statistics{scan.notes.length ? ` (${scan.notes.join("; ")})` : ""}</li>
                ))}
              </ul>
            )}
            {output.text !== null && <pre class="value">{output.text}</pre>}
            {output.table && view === "table" && <ResultTable table={output.table} />}
            {output.table && view === "chart" && <ResultChart table={output.table} spec={specFor(output.table, cell.chart)} onSpec={(chart) => updateCell(cell.id, { chart })} />}
          </>
        )}
      </div>
    </div>
  );
}
