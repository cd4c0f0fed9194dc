// The vector-file worker: OPFS synchronous access handles exist only in workers.
// It reads a collection's vector file straight into the page's shared WebAssembly
// memory (or, on pages without one, into a buffer it hands over), and writes the
// blocks the page copies in.
import * as Comlink from 'comlink';
import { opfsDirectory } from '../src/storage/opfs-directory.ts';
import { holdLifeline } from './lifeline.ts';
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
  const dir = await opfsDirectory(path.slice(0, -1), create);
  return (await dir.getFileHandle(path.at(-1)!, { create })) as FileHandle;
}

/**
 * Runs fn with an access handle on the file (made if `create`, else NotFoundError),
 * closed after. Readers share a file ('read-only'); engines without access modes
 * give an exclusive handle.
 */
async function withFile<R>(path: string[], mode: 'read-only' | 'readwrite', create: boolean, fn: (h: SyncHandle) => R): Promise<R> {
  const file = await fileHandle(path, create);
  let h: SyncHandle;
  try {
    h = await file.createSyncAccessHandle({ mode });
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    h = await file.createSyncAccessHandle();
  }
  try {
    return fn(h);
  } finally {
    h.close();
  }
}

const notFound = (err: unknown) => (err as { name?: string }).name === 'NotFoundError';

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
  read: serial((path, target, byteOffset, byteLength) =>
    withFile(path, 'read-only', false, (h) => (h.getSize() < byteLength ? 0 : h.read(new Uint8Array(target, byteOffset, byteLength), { at: 0 }))),
  ),
  readCopy: serial((path, offset, byteLength) =>
    withFile(path, 'read-only', false, (h) => {
      if (h.getSize() < offset + byteLength) return null;
      const buf = new ArrayBuffer(byteLength);
      return h.read(new Uint8Array(buf), { at: offset }) === byteLength ? Comlink.transfer(buf, [buf]) : null;
    }),
  ),
  write: serial((path, offset, data) =>
    withFile(path, 'readwrite', true, (h) => {
      h.write(new Uint8Array(data), { at: offset });
      h.flush(); // durable before the caller records the block as in the file
      return h.getSize();
    }),
  ),
  truncate: serial(async (path, size) => {
    try {
      await withFile(path, 'readwrite', false, (h) => {
        if (h.getSize() > size) h.truncate(size);
        h.flush();
      });
    } catch (err) {
      if (!notFound(err)) throw err;
    }
  }),
  remove: serial(async (path) => {
    try {
      await (await opfsDirectory(path.slice(0, -1), false)).removeEntry(path.at(-1)!);
    } catch (err) {
      if (!notFound(err)) throw err;
    }
  }),
};

Comlink.expose(api);
holdLifeline();
