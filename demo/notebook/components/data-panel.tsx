/**
 * Data in: the tables list (schema and size of each), a file picker, an
 * http(s) URL field (read with range requests) and the page-wide drop
 * target for Parquet, CSV and Arrow files.
 */
import { useState } from "preact/hooks";
import type { TableInfo } from "../engine.ts";
import { formatBytes } from "./job-view.tsx";

interface Props {
  tables: TableInfo[];
  onFiles(files: File[]): void;
  onUrl(url: string): void;
  message: string | null;
}

export function DataPanel({ tables, onFiles, onUrl, message }: Props) {
  const [url, setUrl] = useState("");
  return (
    <section class="panel data-panel">
      <h2>Tables</h2>
      <p class="muted">Drop Parquet, CSV or Arrow files anywhere on the page, or</p>
      <input type="file" data-testid="file-input" multiple accept=".parquet,.csv,.arrow,.arrows,.feather" onChange={(e) => onFiles([...((e.target as HTMLInputElement).files ?? [])])} />
      <form onSubmit={(e) => { e.preventDefault(); if (url) onUrl(url); }}>
        <input type="url" placeholder="https://…/file.parquet" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} data-testid="url-input" />
        <button type="submit">Add URL</button>
      </form>
      {message && <div class="notice" data-testid="data-message">{message}</div>}
      <ul class="tables" data-testid="tables">
        {tables.map((t) => (
          <li data-testid="table" data-table={t.name}>
            <details>
              <summary><strong>{t.name}</strong> <small>{t.fields.length} columns{t.bytes ? `, ${formatBytes(t.bytes)}` : ""} · {t.origin}</small></summary>
              <ul class="fields">{t.fields.map((f) => <li>{f.name} <small>{f.type}</small></li>)}</ul>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
