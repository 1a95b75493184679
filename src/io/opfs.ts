/**
 * The browser's origin private file system (OPFS, `navigator.storage.getDirectory()`)
 * as a place to write and read files by path. A path `opfs:out/trips` names
 * `out/trips` under the origin's OPFS root, so `df.write.parquet("opfs:out/trips")`
 * writes the same part-file and `key=value/` layout as in Node, and
 * `read.parquet("opfs:out/trips")` reads it back (files are read by ranges
 * through their `File` blobs, never whole).
 */
import { IOError } from "../common/errors.ts";
import type { ByteRange, ByteSource, FetchStats } from "./byte-source.ts";
import { BlobByteSource } from "./byte-source.ts";

export const OPFS_PREFIX = "opfs:";

export function isOpfsPath(path: string): boolean {
  return path.startsWith(OPFS_PREFIX);
}

function segments(path: string): string[] {
  const parts = path.slice(OPFS_PREFIX.length).split("/").filter((s) => s !== "" && s !== ".");
  if (parts.includes("..")) throw new IOError("IO_ERROR", `${path}: '..' is not allowed in OPFS paths`, { details: { path } });
  return parts;
}

async function root(path: string): Promise<FileSystemDirectoryHandle> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage?.getDirectory) {
    throw new IOError("IO_ERROR", `${path}: this runtime has no origin private file system (navigator.storage.getDirectory); use a browser page or worker, or write with toBlob()`, { details: { path } });
  }
  return storage.getDirectory();
}

function notFound(path: string, e: unknown): IOError {
  return new IOError("IO_ERROR", `cannot read ${path}: no such file or directory`, { details: { path }, cause: e });
}

/** The directory at `parts` (created when `create`). */
async function dirAt(path: string, parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let dir = await root(path);
  for (const p of parts) {
    try { dir = await dir.getDirectoryHandle(p, { create }); } catch (e) { throw notFound(path, e); }
  }
  return dir;
}

/** The entry at `path`: a file or directory handle, or null when there is none. */
async function entryAt(path: string): Promise<FileSystemHandle | null> {
  const parts = segments(path);
  if (parts.length === 0) return root(path);
  let parent: FileSystemDirectoryHandle;
  try { parent = await dirAt(path, parts.slice(0, -1), false); } catch { return null; }
  const name = parts[parts.length - 1]!;
  try { return await parent.getDirectoryHandle(name); } catch { /* not a directory */ }
  try { return await parent.getFileHandle(name); } catch { return null; }
}

/** The `File` at an OPFS path. */
export async function opfsFile(path: string): Promise<File> {
  const entry = await entryAt(path);
  if (!entry || entry.kind !== "file") throw notFound(path, undefined);
  return (entry as FileSystemFileHandle).getFile();
}

/** Writes `bytes` as the whole content of `handle` (an OPFS file or one the user picked). */
export async function writeFileHandle(handle: FileSystemFileHandle, bytes: Uint8Array, name = handle.name): Promise<void> {
  try {
    if (typeof handle.createWritable === "function") {
      const w = await handle.createWritable();
      await w.write(bytes as Uint8Array<ArrayBuffer>);
      await w.close();
      return;
    }
    // Workers of browsers without createWritable on OPFS files (Safari) have only the synchronous handle.
    const sync = await (handle as unknown as { createSyncAccessHandle(): Promise<{ truncate(n: number): void; write(b: Uint8Array, o: { at: number }): number; flush(): void; close(): void }> }).createSyncAccessHandle();
    try { sync.truncate(0); sync.write(bytes, { at: 0 }); sync.flush(); } finally { sync.close(); }
  } catch (e) {
    throw new IOError("IO_ERROR", `cannot write ${name}: ${e instanceof Error ? e.message : String(e)}`, { details: { path: name }, cause: e });
  }
}

/** The file-system calls `df.write` and the directory lister need, over OPFS. */
export const opfsFs = {
  async mkdir(path: string): Promise<void> { await dirAt(path, segments(path), true); },
  async rm(path: string): Promise<void> {
    const parts = segments(path);
    if (parts.length === 0) throw new IOError("IO_ERROR", "refusing to remove the OPFS root; name a directory under it", { details: { path } });
    const parent = await dirAt(path, parts.slice(0, -1), false).catch(() => null);
    await parent?.removeEntry(parts[parts.length - 1]!, { recursive: true }).catch(() => undefined);
  },
  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const parts = segments(path);
    const dir = await dirAt(path, parts.slice(0, -1), true);
    await writeFileHandle(await dir.getFileHandle(parts[parts.length - 1]!, { create: true }), data, path);
  },
  async stat(path: string): Promise<{ isDirectory(): boolean }> {
    const entry = await entryAt(path);
    if (!entry) throw notFound(path, undefined);
    return { isDirectory: () => entry.kind === "directory" };
  },
  async readdir(path: string): Promise<string[]> {
    const dir = await dirAt(path, segments(path), false);
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  },
};

/** An OPFS file read by ranges; the `File` is looked up on first use, so opening a table stays cheap. */
export class OpfsByteSource implements ByteSource {
  readonly warnings: string[] = [];
  private inner: Promise<BlobByteSource> | null = null;
  readonly stats: FetchStats = { bytesFetched: 0, requests: 0 };
  constructor(readonly name: string, private readonly gap?: number) {}
  private blob(): Promise<BlobByteSource> {
    this.inner ??= opfsFile(this.name).then((f) => new BlobByteSource(this.name, f, this.gap, this.stats));
    return this.inner;
  }
  async size(): Promise<number> { return (await this.blob()).size(); }
  async tail(n: number): Promise<{ bytes: Uint8Array; size: number }> { return (await this.blob()).tail(n); }
  async read(ranges: ByteRange[], into?: FetchStats): Promise<Uint8Array[]> { return (await this.blob()).read(ranges, into); }
}
