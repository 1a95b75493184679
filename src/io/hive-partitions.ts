/**
 * Turns the inputs of `read.parquet(...)` into a file list: a directory
 * (Node) is walked for data files, a glob (`*`, `**`, `?`) is expanded, and
 * Hive-style `key=value/` path segments become partition columns whose
 * types are inferred from their values (integers as bigint, then double,
 * ISO dates, else string; `__HIVE_DEFAULT_PARTITION__` is NULL), the way
 * DuckDB's `hive_partitioning` and Spark's partition discovery read them.
 */
import type { LiteralValue } from "../types/operations.ts";
import type { DataType } from "../types/data-types.ts";
import { IOError } from "../common/errors.ts";
import { nodeFs } from "./byte-source.ts";
import { isOpfsPath, opfsFs } from "./opfs.ts";

export interface ListedFile {
  path: string;
  /** Raw partition values by key, from the path segments below the listed root. */
  partitions: Record<string, string | null>;
}

export const HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";

interface DirFs {
  stat(path: string): Promise<{ isDirectory(): boolean }>;
  readdir(path: string): Promise<string[]>;
}

function isGlob(p: string): boolean { return /[*?[]/.test(p); }

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") { re += ".*"; i++; if (glob[i + 1] === "/") i++; } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|\\[\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Data files under `dir`, skipping Spark/Hadoop markers (`_SUCCESS`, `.crc`, hidden files). */
async function walk(fs: DirFs, dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir)).sort();
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith("_") || name.startsWith(".")) continue;
    const path = `${dir.replace(/\/$/, "")}/${name}`;
    if ((await fs.stat(path)).isDirectory()) out.push(...await walk(fs, path));
    else out.push(path);
  }
  return out;
}

function partitionsOf(path: string, root: string): Record<string, string | null> {
  const rel = path.startsWith(root) ? path.slice(root.length) : path;
  const parts: Record<string, string | null> = {};
  const segments = rel.split("/");
  for (const seg of segments.slice(0, -1)) {
    const m = /^([^=]+)=(.*)$/.exec(seg);
    if (m) parts[decodeURIComponent(m[1]!)] = m[2] === HIVE_NULL ? null : decodeURIComponent(m[2]!);
  }
  return parts;
}

/** Expands one local path (file, directory or glob; in Node or, as `opfs:dir`, in a browser's OPFS) into files with their partition values. */
export async function listLocal(path: string, extension = ".parquet"): Promise<ListedFile[]> {
  const fs: DirFs = isOpfsPath(path) ? opfsFs : await nodeFs() as unknown as DirFs;
  if (isGlob(path)) {
    const firstGlob = path.search(/[*?[]/);
    const root = path.slice(0, path.lastIndexOf("/", firstGlob) + 1) || "./";
    const re = globToRegExp(path);
    const files = (await walk(fs, root)).filter((f) => re.test(f));
    if (files.length === 0) throw new IOError("IO_ERROR", `no files match ${path}`, { details: { path } });
    return files.map((f) => ({ path: f, partitions: partitionsOf(f, root) }));
  }
  let isDir: boolean;
  try {
    isDir = (await fs.stat(path)).isDirectory();
  } catch (e) {
    throw new IOError("IO_ERROR", `cannot read ${path}: no such file or directory`, { details: { path }, cause: e });
  }
  if (!isDir) return [{ path, partitions: partitionsOf(path, path.slice(0, path.lastIndexOf("/") + 1)) }];
  const root = path.endsWith("/") ? path : `${path}/`;
  const files = (await walk(fs, path)).filter((f) => !extension || f.endsWith(extension) || !f.slice(f.lastIndexOf("/")).includes("."));
  if (files.length === 0) throw new IOError("IO_ERROR", `the directory ${path} holds no ${extension} files`, { details: { path } });
  return files.map((f) => ({ path: f, partitions: partitionsOf(f, root) }));
}

/** Partition columns (in first-seen order) with inferred types and each file's typed values. */
export function partitionColumns(files: ListedFile[]): { names: string[]; types: DataType[]; values: LiteralValue[][] } {
  const names: string[] = [];
  for (const f of files) for (const k of Object.keys(f.partitions)) if (!names.includes(k)) names.push(k);
  for (const f of files) {
    for (const k of names) {
      if (!(k in f.partitions)) {
        throw new IOError("IO_ERROR", `${f.path} has no '${k}=' directory while other files do; every file of a partitioned table needs the same partition keys`, { details: { file: f.path, column: k } });
      }
    }
  }
  const types = names.map((k): DataType => {
    const vals = files.map((f) => f.partitions[k]).filter((v): v is string => v !== null && v !== undefined);
    if (vals.length && vals.every((v) => /^-?\d{1,15}$/.test(v))) return { kind: "int64" };
    if (vals.length && vals.every((v) => v.trim() !== "" && Number.isFinite(Number(v)))) return { kind: "float64" };
    if (vals.length && vals.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)))) return { kind: "date32" };
    return { kind: "utf8" };
  });
  const values = files.map((f) => names.map((k, i): LiteralValue => {
    const v = f.partitions[k];
    if (v === null || v === undefined) return null;
    switch (types[i]!.kind) {
      case "int64": case "float64": return Number(v);
      case "date32": return Math.round(Date.parse(`${v}T00:00:00Z`) / 86400000);
      default: return v;
    }
  }));
  return { names, types, values };
}
