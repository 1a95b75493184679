/**
 * Cutting a job's physical plan into stages, as Spark's DAGScheduler does:
 * every ShuffleExchangeExec and BroadcastExchangeExec ends a
 * ShuffleMapStage (the Exchange's input, written as shuffle blocks; a
 * broadcast is a one-partition shuffle every task reads whole), and the
 * plan's root is the ResultStage. A stage's fragment keeps its Exchange
 * nodes, with their inputs replaced by an empty leaf, so tasks stay small
 * and read them through the shuffle reader by `exchangeId`.
 */
import type { Partitioning, PhysicalPlan } from "../physical/physical-plan.ts";
import { describePhysical, numPartitions, physicalChildren, withPhysicalChildren } from "../physical/physical-plan.ts";
import type { CinderEvent, StageKind } from "../common/events.ts";
import type { RangeBounds } from "../exec/range-partition.ts";
import type { ReadSpec, SkewedPartition } from "./skew-join.ts";

/** A join changed at run time, for the StageSubmitted event and explain. */
export interface DemotedJoin {
  from: "SortMergeJoinExec" | "HashJoinExec";
  /** The side now built whole in each task, and its measured map output. */
  buildSide: "left" | "right";
  buildBytes: number;
}

export interface Stage {
  id: number;
  jobId: number;
  kind: StageKind;
  /** What each task runs (Exchanges below it are read from shuffle blocks). */
  fragment: PhysicalPlan;
  numTasks: number;
  parents: Stage[];
  /** Map stages: the shuffle they write. */
  shuffle?: { shuffleId: number; exchangeId: number; partitioning: Partitioning };
  /** exchangeId -> shuffleId of every Exchange the fragment reads. */
  inputs: Map<number, number>;
  /** Latest attempt number (-1 before the first submission). */
  attempt: number;
  /** Attempts that ended in a fetch failure since the stage last succeeded. */
  failedAttempts: number;
  /** Range shuffles: bounds from the sampling pass, fixed once known so reruns split rows the same way. */
  rangeBounds?: RangeBounds;
  /**
   * Set when adaptive execution changed the tasks reading this stage's shuffles: task `i` reads
   * `reads[i]` (a run of neighbouring partitions merged by coalescing, or a run of one skewed partition's
   * map outputs); `numTasks` is the new count and `coalescedFrom` the shuffle partition count.
   */
  reads?: ReadSpec[];
  coalescedFrom?: number;
  /** Skewed join partitions split into several tasks. */
  skewed?: SkewedPartition[];
  /** Joins adaptive execution turned into hash joins building a small side whole, and the exchanges read whole for them. */
  demoted?: DemotedJoin[];
  wholeExchanges?: number[];
}

export interface StageIds {
  nextStageId(): number;
  nextShuffleId(): number;
}

/** Builds the stage graph of `plan`; returns the ResultStage. */
export function buildStages(plan: PhysicalPlan, jobId: number, ids: StageIds): Stage {
  const byExchange = new Map<number, Stage>();

  const cut = (p: PhysicalPlan, inputs: Map<number, number>, parents: Stage[]): PhysicalPlan => {
    if (p.type === "ShuffleExchangeExec" || p.type === "BroadcastExchangeExec") {
      let parent = byExchange.get(p.exchangeId);
      if (!parent) {
        const partitioning: Partitioning = p.type === "ShuffleExchangeExec" ? p.partitioning : { kind: "single" };
        parent = makeStage(p.input, "shuffleMap", { shuffleId: ids.nextShuffleId(), exchangeId: p.exchangeId, partitioning });
        byExchange.set(p.exchangeId, parent);
      }
      if (!parents.includes(parent)) parents.push(parent);
      inputs.set(p.exchangeId, parent.shuffle!.shuffleId);
      const leaf: PhysicalPlan = { type: "EmptyExec", numPartitions: numPartitions(p.input), schema: p.input.schema };
      return { ...p, input: leaf } as PhysicalPlan;
    }
    const children = physicalChildren(p);
    if (children.length === 0) return p;
    return withPhysicalChildren(p, children.map((c) => cut(c, inputs, parents)));
  };

  const makeStage = (root: PhysicalPlan, kind: StageKind, shuffle?: Stage["shuffle"]): Stage => {
    const inputs = new Map<number, number>();
    const parents: Stage[] = [];
    const fragment = cut(root, inputs, parents);
    const stage: Stage = { id: ids.nextStageId(), jobId, kind, fragment, numTasks: numPartitions(root), parents, inputs, attempt: -1, failedAttempts: 0 };
    if (shuffle) stage.shuffle = shuffle;
    return stage;
  };

  return makeStage(plan, "result");
}

/** Every stage reachable from `stage`, parents first. */
export function allStages(stage: Stage): Stage[] {
  const out: Stage[] = [];
  const visit = (s: Stage) => { if (out.includes(s)) return; s.parents.forEach(visit); out.push(s); };
  visit(stage);
  return out;
}

/** Memory-table ids a fragment scans (shipped to an executor before its first task). */
export function memoryTablesOf(plan: PhysicalPlan): string[] {
  const out = new Set<string>();
  const visit = (p: PhysicalPlan) => {
    if (p.type === "ScanExec" && p.source.kind === "memory") out.add(p.source.tableId);
    physicalChildren(p).forEach(visit);
  };
  visit(plan);
  return [...out];
}

/** Longest operator line a StageSubmitted event carries: enough to name the operator and its keys in a DAG box. */
const OPERATOR_LINE_MAX = 96;

/**
 * The operators a stage's tasks run, root first, one line each (what Spark's
 * UI draws inside a stage's box); Exchanges are the shuffles it reads.
 */
export function stageOperators(fragment: PhysicalPlan): string[] {
  const out: string[] = [];
  const visit = (p: PhysicalPlan) => {
    if (p.type === "EmptyExec") return;
    const line = describePhysical(p);
    out.push(line.length > OPERATOR_LINE_MAX ? `${line.slice(0, OPERATOR_LINE_MAX - 1)}…` : line);
    if (p.type !== "ShuffleExchangeExec" && p.type !== "BroadcastExchangeExec") physicalChildren(p).forEach(visit);
  };
  visit(fragment);
  return out;
}

/** The StageSubmitted event of `stage`'s next attempt, running `partitions`. */
export function stageSubmittedEvent(stage: Stage, partitions: number[]): Extract<CinderEvent, { type: "StageSubmitted" }> {
  return {
    type: "StageSubmitted", jobId: stage.jobId, stageId: stage.id, attempt: stage.attempt, kind: stage.kind, numTasks: partitions.length,
    partitions, parentIds: stage.parents.map((p) => p.id), operators: stageOperators(stage.fragment), time: Date.now(),
    ...(stage.shuffle ? { shuffleId: stage.shuffle.shuffleId } : {}),
    ...(stage.coalescedFrom !== undefined ? { coalescedFrom: stage.coalescedFrom } : {}),
    ...(stage.skewed?.length ? { skewedPartitions: stage.skewed } : {}),
    ...(stage.demoted?.length ? { demotedJoins: stage.demoted } : {}),
  };
}
