/**
 * The live job view, as Spark's UI shows it but while it happens: a
 * progress strip per job and stage under the cell, and for a chosen job
 * the DAG of its stages (laid out by dagre; shuffle edges labelled with
 * the bytes written), the stage table, and a task timeline per executor
 * where stragglers stand out. Everything is read from the job store,
 * which the listener bus fills.
 */
import dagre from "@dagrejs/dagre";
import type { JobRecord, JobStore, StageRecord, TaskRecord } from "../job-store.ts";

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

const fmtMs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

/** Progress of every job a cell ran: one bar per stage (tasks done / total). */
export function ProgressStrip({ store, owner, onOpen }: { store: JobStore; owner: string; onOpen(jobId: number): void }) {
  store.revision.value;
  const jobs = store.jobsOf(owner);
  if (!jobs.length) return null;
  return (
    <div class="progress-strip">
      {jobs.map((job) => (
        <div class={`job-progress ${job.state}`} data-testid="job-progress" data-state={job.state}>
          <button class="link" onClick={() => onOpen(job.jobId)}>Job {job.jobId}</button>
          {job.stageIds.map((id) => store.stages.get(id)).filter((s): s is StageRecord => !!s).map((s) => (
            <span class={`stage-bar ${s.state}`} title={`stage ${s.stageId}: ${s.tasksDone}/${s.numTasks} tasks`}>
              <span class="fill" style={{ width: `${s.numTasks ? (100 * s.tasksDone) / s.numTasks : 100}%` }} />
              <span class="label">stage {s.stageId} {s.tasksDone}/{s.numTasks}</span>
            </span>
          ))}
          <span class="muted">{job.end ? fmtMs(job.end - job.start) : "running"}{job.error ? ` — ${job.error}` : ""}</span>
        </div>
      ))}
    </div>
  );
}

/** What adaptive execution did to a stage, in words. */
function adaptiveNote(s: StageRecord): string {
  const notes: string[] = [];
  if (s.coalescedFrom !== undefined) notes.push(`AQE: ${s.coalescedFrom} shuffle partitions read as ${s.numTasks} tasks`);
  for (const p of s.skewedPartitions) notes.push(`AQE: skewed partition ${p.partition} split into ${p.splits} tasks`);
  return notes.join("; ");
}

const BOX_WIDTH = 340;

function StageDag({ stages }: { stages: StageRecord[] }) {
  const g = new dagre.graphlib.Graph();
  // Top to bottom, as Spark's UI draws a job: the panel is narrow and a job is a chain of stages more often than a wide fan.
  g.setGraph({ rankdir: "TB", nodesep: 20, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const lines = (s: StageRecord) => s.operators.slice(0, 6);
  for (const s of stages) g.setNode(String(s.stageId), { width: BOX_WIDTH, height: 40 + 15 * lines(s).length });
  for (const s of stages) for (const p of s.parentIds) if (stages.some((x) => x.stageId === p)) g.setEdge(String(p), String(s.stageId));
  dagre.layout(g);
  const graph = g.graph();
  return (
    <svg class="dag" data-testid="dag" width={(graph.width ?? 0) + 16} height={(graph.height ?? 0) + 16}>
      <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#888" /></marker></defs>
      {g.edges().map((e) => {
        const pts = g.edge(e).points ?? [];
        const parent = stages.find((s) => String(s.stageId) === e.v)!;
        const mid = pts[Math.floor(pts.length / 2)] ?? { x: 0, y: 0 };
        return (
          <g>
            <path d={`M${pts.map((p: { x: number; y: number }) => `${p.x},${p.y}`).join("L")}`} stroke="#888" fill="none" marker-end="url(#arrow)" />
            <text x={mid.x} y={mid.y - 6} class="edge-label" text-anchor="middle">{formatBytes(parent.shuffleWrite)}</text>
          </g>
        );
      })}
      {stages.map((s) => {
        const n = g.node(String(s.stageId));
        const x = n.x - n.width / 2, y = n.y - n.height / 2;
        return (
          <g class={`stage-box ${s.state}`} data-testid="stage" data-stage={s.stageId} data-state={s.state} transform={`translate(${x},${y})`}>
            <rect width={n.width} height={n.height} rx="6" />
            <text x="8" y="17" class="stage-title">Stage {s.stageId} · {s.kind === "result" ? "result" : "shuffle map"} · {s.tasksDone}/{s.numTasks}{s.attempts > 1 ? ` · attempt ${s.attempts - 1}` : ""}</text>
            {lines(s).map((op, i) => <text x="8" y={34 + 15 * i} class="op">{op.length > 52 ? `${op.slice(0, 51)}…` : op}<title>{op}</title></text>)}
          </g>
        );
      })}
    </svg>
  );
}

function StageTable({ stages, tasks }: { stages: StageRecord[]; tasks: TaskRecord[] }) {
  return (
    <table class="stage-table" data-testid="stage-table">
      <thead><tr><th>stage</th><th>state</th><th>tasks</th><th>records in / out</th><th>shuffle read</th><th>shuffle write</th><th>duration</th><th>task max / median</th><th>notes</th></tr></thead>
      <tbody>
        {stages.map((s) => {
          const times = tasks.filter((t) => t.stageId === s.stageId && t.result === "success").map((t) => t.durationMs ?? 0).sort((a, b) => a - b);
          const median = times[Math.floor(times.length / 2)] ?? 0, max = times[times.length - 1] ?? 0;
          const straggler = times.length >= 3 && max > 2 * median && max - median > 50;
          return (
            <tr class={s.state}>
              <td>{s.stageId}</td><td>{s.state}</td><td>{s.tasksDone}/{s.numTasks}{s.tasksFailed ? ` (${s.tasksFailed} failed)` : ""}</td>
              <td>{s.recordsRead} / {s.recordsWritten}</td><td>{formatBytes(s.shuffleRead)}</td><td>{formatBytes(s.shuffleWrite)}</td>
              <td>{s.completed ? fmtMs(s.completed - s.submitted) : "…"}</td>
              <td class={straggler ? "straggler" : ""} data-testid={straggler ? "straggler" : undefined}>{fmtMs(max)} / {fmtMs(median)}{straggler ? " ⚠ straggler" : ""}</td>
              <td>{[adaptiveNote(s), s.failureReason ?? ""].filter(Boolean).join("; ")}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const STAGE_COLOURS = ["#e8642c", "#3b82c4", "#4a9d5b", "#a25bc4", "#c4a23b", "#c43b6a"];

function TaskTimeline({ tasks, job }: { tasks: TaskRecord[]; job: JobRecord }) {
  const executors = [...new Set(tasks.map((t) => t.executorId))].sort();
  const start = job.start, end = Math.max(job.end ?? Date.now(), ...tasks.map((t) => t.end ?? Date.now()));
  const span = Math.max(1, end - start), width = 420, lane = 22;
  const xOf = (t: number) => ((t - start) / span) * width;
  return (
    <svg class="timeline" data-testid="timeline" width={width + 90} height={executors.length * lane + 24}>
      {executors.map((ex, i) => <text x="0" y={i * lane + 15} class="lane-label">{ex}</text>)}
      {tasks.map((t) => {
        const i = executors.indexOf(t.executorId);
        const x = 90 + xOf(t.start), w = Math.max(2, xOf(t.end ?? Date.now()) - xOf(t.start));
        return (
          <rect x={x} y={i * lane + 3} width={w} height={lane - 6} rx="2" class={`task ${t.result ?? "running"}`} fill={t.result && t.result !== "success" ? "#c0392b" : STAGE_COLOURS[t.stageId % STAGE_COLOURS.length]}>
            <title>{`stage ${t.stageId} partition ${t.partition} (attempt ${t.attempt}) on ${t.executorId}: ${t.result ?? "running"}, ${fmtMs(t.durationMs ?? 0)}`}</title>
          </rect>
        );
      })}
      <text x="90" y={executors.length * lane + 18} class="lane-label">0</text>
      <text x={90 + width} y={executors.length * lane + 18} class="lane-label" text-anchor="end">{fmtMs(span)}</text>
    </svg>
  );
}

/** The job panel: pick a job of the session, see its DAG, stages and task timeline. */
export function JobPanel({ store, jobId, onPick }: { store: JobStore; jobId: number | null; onPick(jobId: number): void }) {
  store.revision.value;
  const jobs = [...store.jobs.values()].reverse();
  const job = (jobId !== null ? store.jobs.get(jobId) : undefined) ?? jobs[0];
  return (
    <section class="panel job-view" data-testid="job-view">
      <h2>Jobs</h2>
      {!job ? <p class="muted">No job has run yet. Run a cell.</p> : (
        <>
          <select data-testid="job-picker" value={job.jobId} onChange={(e) => onPick(Number((e.target as HTMLSelectElement).value))}>
            {jobs.map((j) => <option value={j.jobId}>Job {j.jobId} ({j.owner ?? "?"}) — {j.state}</option>)}
          </select>
          <span class={`badge ${job.state}`} data-testid="job-state">{job.state}</span>
          {job.error && <span class="error-text"> {job.error}</span>}
          <StageDag stages={job.stageIds.map((id) => store.stages.get(id)).filter((s): s is StageRecord => !!s)} />
          <StageTable stages={job.stageIds.map((id) => store.stages.get(id)).filter((s): s is StageRecord => !!s)} tasks={store.tasksOf(job.jobId)} />
          <TaskTimeline tasks={store.tasksOf(job.jobId)} job={job} />
        </>
      )}
    </section>
  );
}

/** The executors: alive or lost, tasks run, blocks and bytes held. */
export function ExecutorsPanel({ store }: { store: JobStore }) {
  store.revision.value;
  return (
    <section class="panel">
      <h2>Executors</h2>
      <table class="executors">
        <thead><tr><th>executor</th><th>state</th><th>tasks</th><th>blocks</th><th>held</th></tr></thead>
        <tbody>
          {[...store.executors.values()].map((e) => (
            <tr data-testid="executor" data-executor={e.executorId} data-state={e.state} class={e.state}>
              <td>{e.executorId} <small>{e.kind}</small></td><td title={e.reason}>{e.state}</td><td>{e.tasksRun}</td><td>{e.blocks}</td><td>{formatBytes(e.blockBytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
