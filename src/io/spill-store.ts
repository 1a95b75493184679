/**
 * Where an operator puts what does not fit in its memory: a temp
 * directory on Node (removed with the process's runs), the origin private
 * file system (OPFS) in a browser. An edge isolate has neither, and
 * `openSpillStore` gives null there: an operator that must spill then fails
 * with RESOURCES_EXHAUSTED. A run is written chunk by chunk (Arrow IPC, as
 * shuffle blocks are) and read back one chunk at a time, so merging runs
 * holds one chunk of each.
 */
import type { Batch } from "../exec/column-vector.ts";
import { decodeBlock, encodeBlock } from "../exec/block-ipc.ts";
import { IOError } from "../common/errors.ts";

/** One spilled run: its chunks' byte ranges in one file. */
export interface SpillRun {
  readonly name: string;
  readonly offsets: readonly number[];
  readonly bytes: number;
}

export interface SpillStore {
  /** "disk" (Node) or "opfs" (a browser). */
  readonly kind: string;
  writeRun(chunks: readonly Batch[]): Promise<SpillRun>;
  readChunk(run: SpillRun, index: number): Promise<Batch[]>;
  remove(run: SpillRun): Promise<void>;
}

let nextRun = 0;
const runName = () => `run-${Date.now().toString(36)}-${(nextRun++).toString(36)}-${Math.random().toString(36).slice(2, 8)}.arrows`;

function encodeChunks(chunks: readonly Batch[]): { parts: Uint8Array[]; offsets: number[] } {
  const parts = chunks.map((c) => encodeBlock([c]));
  const offsets = [0];
  for (const p of parts) offsets.push(offsets.at(-1)! + p.length);
  return { parts, offsets };
}

interface NodeFsPromises {
  mkdtemp(prefix: string): Promise<string>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  open(path: string, flags: string): Promise<{ read(b: Uint8Array, o: number, l: number, p: number): Promise<{ bytesRead: number }>; close(): Promise<void> }>;
  rm(path: string, options: { force: boolean; recursive?: boolean }): Promise<void>;
}

/** Runs in a temp directory of this process (Node). */
class DiskSpillStore implements SpillStore {
  readonly kind = "disk";
  private constructor(private readonly fs: NodeFsPromises, private readonly dir: string) {}

  static async open(): Promise<DiskSpillStore> {
    // Loaded only here, so browser bundles never see node: modules.
    const fsName = "node:fs/promises", syncFsName = "node:fs", osName = "node:os", pathName = "node:path";
    const fs = await import(/* @vite-ignore */ fsName) as NodeFsPromises;
    const syncFs = await import(/* @vite-ignore */ syncFsName) as { rmSync(path: string, options: { force: boolean; recursive: boolean }): void };
    const os = await import(/* @vite-ignore */ osName) as { tmpdir(): string };
    const path = await import(/* @vite-ignore */ pathName) as { join(...p: string[]): string };
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cinder-spill-"));
    const store = new DiskSpillStore(fs, dir);
    // The directory goes with the process, whatever runs are left in it; an exit handler must be synchronous.
    const proc = (globalThis as { process?: { once(e: string, f: () => void): void } }).process;
    proc?.once("exit", () => { try { syncFs.rmSync(dir, { force: true, recursive: true }); } catch { /* already gone */ } });
    return store;
  }

  private pathOf(run: SpillRun | string): string { return `${this.dir}/${typeof run === "string" ? run : run.name}`; }

  async writeRun(chunks: readonly Batch[]): Promise<SpillRun> {
    const { parts, offsets } = encodeChunks(chunks);
    const all = new Uint8Array(offsets.at(-1)!);
    parts.forEach((p, i) => all.set(p, offsets[i]!));
    const name = runName();
    await this.fs.writeFile(this.pathOf(name), all);
    return { name, offsets, bytes: all.length };
  }

  async readChunk(run: SpillRun, index: number): Promise<Batch[]> {
    const start = run.offsets[index]!, length = run.offsets[index + 1]! - start;
    const handle = await this.fs.open(this.pathOf(run), "r");
    try {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, start);
      if (bytesRead !== length) throw new IOError("IO_ERROR", `spill run ${run.name} is shorter than written (${bytesRead} of ${length} bytes at ${start}); the temp directory was changed while the task ran`);
      return decodeBlock(bytes);
    } finally { await handle.close(); }
  }

  async remove(run: SpillRun): Promise<void> {
    await this.fs.rm(this.pathOf(run), { force: true });
  }
}

interface OpfsDirectory {
  getDirectoryHandle(name: string, o: { create: boolean }): Promise<OpfsDirectory>;
  getFileHandle(name: string, o: { create: boolean }): Promise<{ createWritable(): Promise<{ write(d: Uint8Array): Promise<void>; close(): Promise<void> }>; getFile(): Promise<Blob> }>;
  removeEntry(name: string): Promise<void>;
}

/** Runs in the origin private file system (a browser page or worker). */
class OpfsSpillStore implements SpillStore {
  readonly kind = "opfs";
  private constructor(private readonly dir: OpfsDirectory) {}

  static async open(root: OpfsDirectory): Promise<OpfsSpillStore> {
    return new OpfsSpillStore(await (await root.getDirectoryHandle("cinder-spill", { create: true })).getDirectoryHandle(runName(), { create: true }));
  }

  async writeRun(chunks: readonly Batch[]): Promise<SpillRun> {
    const { parts, offsets } = encodeChunks(chunks);
    const name = runName();
    const writable = await (await this.dir.getFileHandle(name, { create: true })).createWritable();
    for (const p of parts) await writable.write(p);
    await writable.close();
    return { name, offsets, bytes: offsets.at(-1)! };
  }

  async readChunk(run: SpillRun, index: number): Promise<Batch[]> {
    const file = await (await this.dir.getFileHandle(run.name, { create: false })).getFile();
    return decodeBlock(new Uint8Array(await file.slice(run.offsets[index]!, run.offsets[index + 1]!).arrayBuffer()));
  }

  async remove(run: SpillRun): Promise<void> {
    await this.dir.removeEntry(run.name).catch(() => undefined);
  }
}

let shared: Promise<SpillStore | null> | null = null;

/** This runtime's spill store (one per thread), or null where there is none (an edge isolate). */
export function openSpillStore(): Promise<SpillStore | null> {
  shared ??= (async () => {
    const nav = (globalThis as { navigator?: { storage?: { getDirectory?: () => Promise<OpfsDirectory> } } }).navigator;
    if (typeof nav?.storage?.getDirectory === "function") {
      try { return await OpfsSpillStore.open(await nav.storage.getDirectory()); } catch { /* no OPFS here (an opaque origin): try the disk */ }
    }
    const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
    if (proc?.versions?.node) {
      try { return await DiskSpillStore.open(); } catch { /* a runtime that looks like Node but has no file system */ }
    }
    return null;
  })();
  return shared;
}
