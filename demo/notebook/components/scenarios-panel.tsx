/**
 * The teaching scenarios, one click each: the narration appears beside the
 * live job view as the scenario runs, and the outcome it teaches is shown
 * (and set as `data-outcome`) when it ends.
 */
import { useState } from "preact/hooks";
import { CinderError } from "cinder";
import type { NotebookEngine } from "../engine.ts";
import { SCENARIOS, ScenarioContext } from "../scenarios.ts";
import type { ScenarioId } from "../scenarios.ts";

interface State { running: boolean; lines: string[]; outcome?: string; failed?: boolean }

export function ScenariosPanel({ engine, onJob }: { engine: NotebookEngine; onJob(jobId: number | null): void }) {
  const [states, setStates] = useState<Partial<Record<ScenarioId, State>>>({});
  const run = async (id: ScenarioId) => {
    const scenario = SCENARIOS.find((s) => s.id === id)!;
    const lines: string[] = [];
    const update = (patch: Partial<State>) => setStates((old) => ({ ...old, [id]: { ...(old[id] ?? { running: true, lines }), ...patch, lines: [...lines] } }));
    update({ running: true, lines: [] });
    onJob(null);
    const ctx = new ScenarioContext(engine, `scenario:${id}`, (line) => { lines.push(line); update({}); });
    try {
      const outcome = await scenario.run(ctx);
      update({ running: false, outcome });
    } catch (e) {
      update({ running: false, failed: true, outcome: `failed: ${CinderError.is(e) ? `${e.code}: ${e.message}` : String(e)}` });
    }
  };
  return (
    <section class="panel scenarios">
      <h2>Teaching scenarios</h2>
      {SCENARIOS.map((s) => {
        const st = states[s.id];
        return (
          <div class={`scenario ${st?.running ? "running" : st?.failed ? "failed" : st?.outcome ? "done" : ""}`} data-testid="scenario" data-scenario={s.id} data-outcome={st && !st.running ? st.outcome : undefined}>
            <div class="scenario-head">
              <button data-testid="run-scenario" disabled={st?.running} onClick={() => run(s.id)}>{st?.running ? "running…" : "▶"}</button>
              <strong>{s.title}</strong>
            </div>
            <p class="muted">{s.intro}</p>
            {st && <ol class="narration">{st.lines.map((l) => <li>{l}</li>)}</ol>}
            {st?.outcome && <div class="outcome" data-testid="scenario-outcome"><strong>Outcome:</strong> {st.outcome}</div>}
          </div>
        );
      })}
    </section>
  );
}
