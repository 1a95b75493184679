/**
 * The notebook's cells and settings, as signals, and their persistence:
 * saved to local storage on every change, exported to and imported from a
 * `.cinder.json` file.
 */
import { signal, effect } from "@preact/signals";
import type { CellLanguage, CellFailure, CellOutput } from "./run-cell.ts";
import type { ChartSpec } from "./chart-kind.ts";

export interface CellSpec {
  id: string;
  language: CellLanguage;
  source: string;
  /** Shown as a chart rather than a table. */
  view?: "table" | "chart";
  chart?: ChartSpec;
}

export interface CellRun {
  status: "idle" | "running" | "done" | "failed";
  output?: CellOutput;
  failure?: CellFailure;
}

export interface Settings {
  executors: number;
  config: Record<string, number>;
}

const STORAGE_KEY = "cinder-notebook-v1";

export const DEFAULT_CELLS: CellSpec[] = [
  { id: "c1", language: "sql", source: "-- Tips by payment type over the sample taxi trips\nSELECT payment, count(*) AS trips, round(avg(tip), 2) AS avg_tip\nFROM trips\nGROUP BY payment\nORDER BY trips DESC" },
  { id: "c2", language: "sql", source: "-- Trips per pickup borough: a join with the zones table\nSELECT z.borough, count(*) AS trips, round(sum(t.fare), 2) AS fares\nFROM trips t JOIN zones z ON t.pickup_zone = z.zone_id\nGROUP BY z.borough\nORDER BY trips DESC" },
  { id: "c3", language: "js", source: "// A DataFrame cell: `spark` and the functions (col, sum, avg, ...) are in scope\nconst trips = await spark.read.parquet(sample.trips);\ntrips.filter(col(\"distance_km\").gt(5))\n  .groupBy(\"passengers\")\n  .agg(count(\"*\").alias(\"trips\"), round(avg(\"fare\"), 2).alias(\"avg_fare\"))\n  .orderBy(\"passengers\")" },
  { id: "c4", language: "sql", view: "chart", source: "-- Trips per day, as a chart\nSELECT CAST(pickup_at AS DATE) AS day, count(*) AS trips\nFROM trips\nGROUP BY 1\nORDER BY 1" },
  { id: "c5", language: "sql", source: "-- TPC-H Q1 on the bundled TPC-H tables\nSELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty,\n       sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, count(*) AS count_order\nFROM lineitem\nWHERE l_shipdate <= DATE '1998-09-02'\nGROUP BY l_returnflag, l_linestatus\nORDER BY l_returnflag, l_linestatus" },
];

interface Saved { cells: CellSpec[]; settings: Settings }

function defaultSettings(): Settings {
  return { executors: Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2)), config: {} };
}

function load(): Saved | null {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? validSaved(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

/** A parsed notebook file, checked: the cells and settings it holds, or an error saying what is wrong. */
export function validSaved(data: unknown): Saved {
  const d = data as Partial<Saved> | null;
  if (!d || !Array.isArray(d.cells) || !d.cells.every((c) => typeof c?.id === "string" && typeof c.source === "string" && (c.language === "sql" || c.language === "js"))) {
    throw new Error("not a Cinder notebook: expected { cells: [{ id, language: 'sql' | 'js', source }], settings }");
  }
  return { cells: d.cells, settings: { ...defaultSettings(), ...(d.settings ?? {}) } };
}

const saved = load();
export const cells = signal<CellSpec[]>(saved?.cells ?? DEFAULT_CELLS);
export const settings = signal<Settings>(saved?.settings ?? defaultSettings());
export const runs = signal<Record<string, CellRun>>({});
/** Bumped when cells are replaced from outside their editors (import, reset), so the editors are made anew. */
export const generation = signal(0);

effect(() => {
  const data: Saved = { cells: cells.value, settings: settings.value };
  try { localStorage.setItem(STORAGE_KEY, JSON.stringify(data)); } catch { /* storage full or denied: the notebook still works */ }
});

export function updateCell(id: string, patch: Partial<CellSpec>): void {
  cells.value = cells.value.map((c) => (c.id === id ? { ...c, ...patch } : c));
}

export function setRun(id: string, run: CellRun): void {
  runs.value = { ...runs.value, [id]: run };
}

export function addCell(after: string | null, language: CellLanguage): CellSpec {
  const cell: CellSpec = { id: `c${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`, language, source: "" };
  const list = [...cells.value];
  const at = after === null ? list.length : list.findIndex((c) => c.id === after) + 1;
  list.splice(at, 0, cell);
  cells.value = list;
  return cell;
}

export function removeCell(id: string): void {
  cells.value = cells.value.filter((c) => c.id !== id);
}

export function exportNotebook(): Blob {
  return new Blob([JSON.stringify({ cells: cells.value, settings: settings.value }, null, 2)], { type: "application/json" });
}

export function importNotebook(text: string): void {
  const data = validSaved(JSON.parse(text));
  cells.value = data.cells;
  settings.value = data.settings;
  runs.value = {};
  generation.value++;
}

export function resetNotebook(): void {
  cells.value = DEFAULT_CELLS;
  runs.value = {};
  generation.value++;
}
