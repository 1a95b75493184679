/**
 * A cell's editor: CodeMirror 6 with SQL (completion of the catalog's
 * table and column names) or JavaScript. Shift+Enter runs the cell and
 * moves on, Ctrl/Cmd+Enter runs it and stays; a failure's position is
 * shown as a diagnostic under the code it names. The editor owns its text
 * once made (`source` is only its first content): pushing the text back
 * in from props would race fast typing. A notebook imported or reset makes
 * new editors instead (their key changes).
 */
import { useEffect, useRef } from "preact/hooks";
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { sql, StandardSQL } from "@codemirror/lang-sql";
import { javascript } from "@codemirror/lang-javascript";
import { setDiagnostics } from "@codemirror/lint";
import type { CellLanguage, CellFailure } from "../run-cell.ts";

interface Props {
  language: CellLanguage;
  source: string;
  schema: Record<string, string[]>;
  failure: CellFailure | undefined;
  onChange(source: string): void;
  onRun(advance: boolean): void;
}

export function CellEditor({ language, source, schema, failure, onChange, onRun }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageConf = useRef(new Compartment());
  const handlers = useRef({ onChange, onRun });
  handlers.current = { onChange, onRun };

  const languageExtension = () => (language === "sql" ? sql({ dialect: StandardSQL, schema, upperCaseKeywords: true }) : javascript({ typescript: true }));

  useEffect(() => {
    const run = (advance: boolean) => () => { handlers.current.onRun(advance); return true; };
    view.current = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: source,
        extensions: [
          Prec.highest(keymap.of([{ key: "Shift-Enter", run: run(true) }, { key: "Mod-Enter", run: run(false) }])),
          basicSetup,
          languageConf.current.of(languageExtension()),
          EditorView.updateListener.of((u) => { if (u.docChanged) handlers.current.onChange(u.state.doc.toString()); }),
        ],
      }),
    });
    return () => view.current?.destroy();
  }, []);

  // New tables (a dropped file) or a switched language: the completion and highlighting follow.
  useEffect(() => {
    view.current?.dispatch({ effects: languageConf.current.reconfigure(languageExtension()) });
  }, [language, JSON.stringify(schema)]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const diagnostics = [];
    if (failure?.line !== undefined && failure.column !== undefined && failure.line <= v.state.doc.lines) {
      const line = v.state.doc.line(failure.line);
      // An error at the end of a line (a missing operand) marks the last character, so the mark is never empty.
      const at = Math.min(line.from + failure.column - 1, line.to);
      const from = at === line.to ? Math.max(line.from, at - 1) : at;
      const word = /^[\w.]+/.exec(v.state.sliceDoc(from, line.to))?.[0].length ?? 0;
      const to = Math.min(line.to, from + Math.max(1, word));
      const hint = failure.suggestions?.length ? ` Did you mean ${failure.suggestions.join(", ")}?` : "";
      diagnostics.push({ from, to, severity: "error" as const, message: `${failure.code}: ${failure.message}${hint}` });
    }
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [failure]);

  return <div class="editor" data-testid="cell-editor" ref={host} />;
}
