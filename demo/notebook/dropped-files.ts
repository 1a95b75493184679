/**
 * Files the user dropped or picked are kept in the origin private file
 * system (OPFS), so they are tables again after a reload.
 */
const DIR = "cinder-notebook-files";

async function directory(): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await (await navigator.storage.getDirectory()).getDirectoryHandle(DIR, { create: true });
  } catch {
    return null; // no OPFS (an old browser, a private window): files last until the tab closes
  }
}

export async function keepFile(name: string, bytes: Uint8Array): Promise<void> {
  const dir = await directory();
  if (!dir) return;
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await writable.write(bytes as Uint8Array<ArrayBuffer>);
  await writable.close();
}

export async function keptFiles(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const dir = await directory();
  if (!dir) return [];
  const out: { name: string; bytes: Uint8Array }[] = [];
  for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    if (handle.kind !== "file") continue;
    out.push({ name, bytes: new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()) });
  }
  return out;
}

export async function forgetFile(name: string): Promise<void> {
  await (await directory())?.removeEntry(name).catch(() => undefined);
}
