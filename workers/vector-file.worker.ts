// The vector-file worker: OPFS synchronous access handles exist only in workers.
// It reads a collection's vector file straight into the page's shared WebAssembly
// memory (or, on pages without one, into a buffer it hands over), and writes the
// blocks the page copies in.
import * as Comlink from 'comlink';
import type { VectorFileWorkerApi } from './vector-file-protocol.ts';

interface SyncHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}
type FileHandle = FileSystemFileHandle & { createSyncAccessHandle(options?: { mode: string }): Promise<SyncHandle> };

async function fileHandle(path: string[], create: boolean): Promise<FileHandle> {
  let dir = await navigator.storage.getDirectory();
  for (const part of path.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create });
  return (await dir.getFileHandle(path.at(-1)!, { create })) as FileHandle;
}

/** Readers share a file ('read-only'); engines without access modes give an exclusive handle. */
async function open(handle: FileHandle, mode: 'read-only' | 'readwrite'): Promise<SyncHandle> {
  try {
    return await handle.createSyncAccessHandle({ mode });
  } catch (err) {
    if (err instanceof TypeError) return handle.createSyncAccessHandle();
    throw err;
  }
}

// One operation at a time: a file takes one readwrite access handle, so overlapping writes would refuse each other.
let queue: Promise<unknown> = Promise.resolve();
function serial<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => {
    const run = queue.then(() => fn(...args));
    queue = run.catch(() => undefined);
    return run;
  };
}

const api: VectorFileWorkerApi = {
  read: serial(async (path, target, byteOffset, byteLength) => {
    const h = await open(await fileHandle(path, false), 'read-only');
    try {
      if (h.getSize() < byteLength) return 0;
      return h.read(new Uint8Array(target, byteOffset, byteLength), { at: 0 });
    } finally {
      h.close();
    }
  }),
  readCopy: serial(async (path, offset, byteLength) => {
    const h = await open(await fileHandle(path, false), 'read-only');
    try {
      if (h.getSize() < offset + byteLength) return null;
      const buf = new ArrayBuffer(byteLength);
      if (h.read(new Uint8Array(buf), { at: offset }) !== byteLength) return null;
      return Comlink.transfer(buf, [buf]);
    } finally {
      h.close();
    }
  }),
  write: serial(async (path, offset, data) => {
    const h = await open(await fileHandle(path, true), 'readwrite');
    try {
      h.write(new Uint8Array(data), { at: offset });
      h.flush(); // durable before the caller records the block as mirrored
      return h.getSize();
    } finally {
      h.close();
    }
  }),
  truncate: serial(async (path, size) => {
    let handle: FileHandle;
    try {
      handle = await fileHandle(path, false);
    } catch (err) {
      if ((err as { name?: string }).name === 'NotFoundError') return;
      throw err;
    }
    const h = await open(handle, 'readwrite');
    try {
      if (h.getSize() > size) h.truncate(size);
      h.flush();
    } finally {
      h.close();
    }
  }),
  remove: serial(async (path) => {
    try {
      let dir = await navigator.storage.getDirectory();
      for (const part of path.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
      await dir.removeEntry(path.at(-1)!);
    } catch (err) {
      if ((err as { name?: string }).name !== 'NotFoundError') throw err;
    }
  }),
};

Comlink.expose(api);
