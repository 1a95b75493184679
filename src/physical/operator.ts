/**
 * The contract between the dispatcher (execute.ts) and the operators: an
 * operator runs one partition of its node and pulls its children's batches
 * through the `execute` it is handed, so no operator imports the dispatcher
 * and a new operator is one file plus one entry in the dispatcher's table.
 */
import type { BatchStream } from "../exec/column-vector.ts";
import type { PhysicalOf, PhysicalPlan } from "./physical-plan.ts";
import type { TaskContext } from "./task-context.ts";

/** Runs partition `partition` of a child plan in the same task. */
export type ExecuteChild = (plan: PhysicalPlan, partition: number) => BatchStream;

/** An operator: the batches of one partition of a node of kind `K`. */
export type Operator<K extends PhysicalPlan["type"]> = (node: PhysicalOf<K>, partition: number, ctx: TaskContext, execute: ExecuteChild) => BatchStream;
