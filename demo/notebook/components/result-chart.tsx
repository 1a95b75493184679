/**
 * A result as an Observable Plot chart: the kind first guessed from the
 * column types (chart-kind.ts), then switchable, with the axes chosen
 * from the result's columns.
 */
import { useEffect, useRef } from "preact/hooks";
import * as Plot from "@observablehq/plot";
import type * as arrow from "apache-arrow";
import type { ChartKind, ChartSpec } from "../chart-kind.ts";
import { chooseChart, roleOf } from "../chart-kind.ts";

/** Points drawn at most: a chart of 100,000 marks would stall the page for nothing the eye can tell apart. */
const MAX_POINTS = 5000;

export function specFor(table: arrow.Table, chosen: ChartSpec | undefined): ChartSpec | null {
  const names = table.schema.fields.map((f) => f.name);
  if (chosen && names.includes(chosen.x) && (chosen.y === undefined || names.includes(chosen.y))) return chosen;
  return chooseChart(table.schema.fields.map((f) => [f.name, String(f.type)] as const));
}

export function ResultChart({ table, spec, onSpec }: { table: arrow.Table; spec: ChartSpec | null; onSpec(spec: ChartSpec): void }) {
  const host = useRef<HTMLDivElement>(null);
  const names = table.schema.fields.map((f) => f.name);

  useEffect(() => {
    const el = host.current;
    if (!el || !spec) return;
    const n = Math.min(table.numRows, MAX_POINTS);
    const x = table.getChild(spec.x)!, y = spec.y ? table.getChild(spec.y) : null;
    const reader = (name: string) => {
      const type = table.schema.fields.find((f) => f.name === name)!.type as { scale?: number };
      // Arrow JS hands a decimal back as its unscaled integer, and a date or timestamp as epoch milliseconds.
      const scale = String(type).startsWith("Decimal") ? 10 ** (type.scale ?? 0) : 0;
      const time = roleOf(String(type)) === "time";
      return (v: unknown) => (v === null ? null : scale ? Number(String(v).replace(/"/g, "")) / scale
        : time && typeof v === "number" ? new Date(v) : typeof v === "bigint" ? Number(v) : v);
    };
    const nx = reader(spec.x), ny = spec.y ? reader(spec.y) : null;
    const data = Array.from({ length: n }, (_, i) => ({ x: nx(x.get(i)), y: y && ny ? ny(y.get(i)) : undefined }));
    const marks = {
      bar: () => [Plot.barY(data, { x: "x", y: "y", fill: "#e8642c" }), Plot.ruleY([0])],
      line: () => [Plot.lineY(data, { x: "x", y: "y", stroke: "#e8642c" }), Plot.dot(data, { x: "x", y: "y", r: 2, fill: "#e8642c" })],
      scatter: () => [Plot.dot(data, { x: "x", y: "y", r: 2.5, fill: "#e8642c", fillOpacity: 0.6 })],
      histogram: () => [Plot.rectY(data, { ...Plot.binX({ y: "count" }, { x: "x" }), fill: "#e8642c" }), Plot.ruleY([0])],
    }[spec.kind]();
    const chart = Plot.plot({ width: Math.max(320, el.clientWidth || 640), height: 280, marginLeft: 60, x: { label: spec.x }, y: { label: spec.y ?? "count", grid: true }, marks });
    el.replaceChildren(chart);
  }, [table, spec?.kind, spec?.x, spec?.y]);

  if (!spec) return <div class="muted">Nothing to chart: the result has no numeric column.</div>;
  const kinds: ChartKind[] = ["bar", "line", "scatter", "histogram"];
  return (
    <div class="chart" data-testid="chart" data-kind={spec.kind}>
      <div class="chart-controls">
        <label>kind <select value={spec.kind} onChange={(e) => onSpec({ ...spec, kind: (e.target as HTMLSelectElement).value as ChartKind, y: spec.y ?? names.find((n) => n !== spec.x) ?? spec.x })}>{kinds.map((k) => <option value={k}>{k}</option>)}</select></label>
        <label>x <select value={spec.x} onChange={(e) => onSpec({ ...spec, x: (e.target as HTMLSelectElement).value })}>{names.map((k) => <option value={k}>{k}</option>)}</select></label>
        {spec.kind !== "histogram" && <label>y <select value={spec.y ?? ""} onChange={(e) => onSpec({ ...spec, y: (e.target as HTMLSelectElement).value })}>{names.map((k) => <option value={k}>{k}</option>)}</select></label>}
      </div>
      <div ref={host} class="chart-canvas" />
    </div>
  );
}
