/**
 * A result as a table that scrolls 100,000 rows smoothly: only the rows in
 * view are in the DOM (@tanstack/virtual-core), and each visible cell
 * reads its value straight from the Arrow column; no row objects are
 * made for the rows off screen.
 */
import { useEffect, useLayoutEffect, useReducer, useRef } from "preact/hooks";
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from "@tanstack/virtual-core";
import type * as arrow from "apache-arrow";

const ROW_HEIGHT = 26;

/** A decimal's unscaled integer (what Arrow JS gives back) written with its scale's decimal point. */
function formatDecimal(v: unknown, scale: number): string {
  if (v === null || v === undefined) return "NULL";
  const raw = String(typeof (v as { toJSON?: unknown }).toJSON === "function" ? (v as { toJSON(): unknown }).toJSON() : v).replace(/"/g, "");
  const negative = raw.startsWith("-"), digits = (negative ? raw.slice(1) : raw).padStart(scale + 1, "0");
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  if (typeof v === "object" && v !== null && "toJSON" in v) return JSON.stringify(v);
  return String(v);
}

export function ResultTable({ table }: { table: arrow.Table }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const virtualizer = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  if (!virtualizer.current) {
    virtualizer.current = new Virtualizer<HTMLDivElement, Element>({
      count: table.numRows, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12,
      observeElementRect, observeElementOffset, scrollToFn: elementScroll, onChange: () => rerender(0),
    });
  }
  const v = virtualizer.current;
  v.setOptions({ ...v.options, count: table.numRows });
  useEffect(() => v._didMount(), []);
  useLayoutEffect(() => { v._willUpdate(); });

  const columns = table.schema.fields.map((f, i) => {
    const scale = (f.type as { scale?: number }).scale;
    const format = String(f.type).startsWith("Decimal") && scale !== undefined ? (v: unknown) => formatDecimal(v, scale) : formatValue;
    return { name: f.name, type: String(f.type), vector: table.getChildAt(i)!, format };
  });
  const template = `4.5em repeat(${columns.length}, minmax(7em, 1fr))`;
  return (
    <div class="result-table" data-testid="result-table" data-rows={table.numRows}>
      <div class="rt-head" style={{ gridTemplateColumns: template }}>
        <span class="rt-index">#</span>
        {columns.map((c) => <span title={c.type}>{c.name}<small>{c.type}</small></span>)}
      </div>
      <div class="rt-body" ref={scroller}>
        <div style={{ height: `${v.getTotalSize()}px`, position: "relative" }}>
          {v.getVirtualItems().map((item) => (
            <div class="rt-row" key={item.index} data-row={item.index} style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}>
              <span class="rt-index">{item.index + 1}</span>
              {columns.map((c) => {
                const value = c.vector.get(item.index);
                return <span class={value === null ? "null" : ""}>{c.format(value)}</span>;
              })}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
