// Vector files: copies of collections' full float32 blocks in the Origin Private
// File System, read by a worker: straight into a shared WebAssembly memory on
// cross-origin isolated pages, in handed-over chunks elsewhere. Needs OPFS and
// module workers.
import * as Comlink from 'comlink';
import { createError } from '../core/errors.ts';
import type { VectorFileWorkerApi } from '../../workers/vector-file-protocol.ts';
import { startWorker, TrustedWorker as Worker, type WorkerLife } from '../platform/worker-lifeline.ts';
import { opfsDirectory } from './opfs-directory.ts';

export interface VectorFiles {
  /** Fills target[byteOffset, +byteLength) from the file's start; false if the file is short, missing or locked. */
  read(path: string[], target: SharedArrayBuffer, byteOffset: number, byteLength: number): Promise<boolean>;
  /** Bytes [offset, offset + byteLength), read by the worker and handed over; undefined if short, missing or locked. For pages without shared memory. */
  readCopy(path: string[], offset: number, byteLength: number): Promise<ArrayBuffer | undefined>;
  /** Writes (and flushes) data at offset; the buffer is transferred. */
  write(path: string[], offset: number, data: ArrayBuffer): Promise<void>;
  /** Names of the files in a directory ([] when there is none); needs no worker. */
  list(path: string[]): Promise<string[]>;
  /** Whether `bytes` more fit with a tenth of the quota still free afterwards. */
  hasRoom(bytes: number): Promise<boolean>;
  /** Cuts a file to `size` bytes after the writes already asked for. */
  truncate(path: string[], size: number): Promise<void>;
  /** Removes a file after the writes already asked for (a missing file is fine). */
  remove(path: string[]): Promise<void>;
  /** Starts the worker now, so a read soon after does not wait for it. */
  warm(): void;
  close(): void;
}

/** OPFS and module workers. Cross-origin isolated pages also get the read straight into shared memory (read()); others a copy (readCopy()). */
export function vectorFilesAvailable(): boolean {
  const g = globalThis as { Worker?: unknown; navigator?: { storage?: { getDirectory?: unknown } } };
  return typeof g.Worker === 'function' && typeof g.navigator?.storage?.getDirectory === 'function';
}

/** The worker starts on first use: a store that never mirrors or reads a file costs no thread. */
export function openVectorFiles(): VectorFiles | undefined {
  if (!vectorFilesAvailable()) return undefined;
  let life: WorkerLife | undefined;
  let proxy: Comlink.Remote<VectorFileWorkerApi> | undefined;
  const start = () => {
    // A worker that died is replaced on the next call; the calls pending on it rejected with WORKER_FAILED.
    if (!life || life.isGone) {
      proxy?.[Comlink.releaseProxy]();
      life = startWorker((name) => new Worker(new URL('../../workers/vector-file.worker.ts', import.meta.url), { type: 'module', name }), 'vector-file');
      proxy = Comlink.wrap<VectorFileWorkerApi>(life.worker);
    }
    return { life, proxy: proxy! };
  };
  /** Calls the worker; rejects with WORKER_FAILED if it dies first, instead of waiting forever. */
  const call = <R>(fn: (remote: Comlink.Remote<VectorFileWorkerApi>) => Promise<R>): Promise<R> => {
    const { life, proxy } = start();
    return life.guard(life.started.then(() => fn(proxy)));
  };
  return {
    async read(path, target, byteOffset, byteLength) {
      try {
        return (await call((r) => r.read(path, target, byteOffset, byteLength))) === byteLength;
      } catch {
        return false; // missing, or another tab is writing it: read the blocks instead
      }
    },
    async readCopy(path, offset, byteLength) {
      try {
        return (await call((r) => r.readCopy(path, offset, byteLength))) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async write(path, offset, data) {
      await call((r) => r.write(path, offset, Comlink.transfer(data, [data])));
    },
    async list(path) {
      let dir: FileSystemDirectoryHandle;
      try {
        dir = await opfsDirectory(path, false);
      } catch (err) {
        if ((err as { name?: string }).name === 'NotFoundError') return [];
        throw err;
      }
      const names: string[] = [];
      for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries())
        if (handle.kind === 'file') names.push(name);
      return names;
    },
    async hasRoom(bytes) {
      try {
        const { usage = 0, quota = 0 } = await navigator.storage.estimate();
        return usage + bytes <= quota * 0.9;
      } catch {
        return false;
      }
    },
    truncate: (path, size) => call((r) => r.truncate(path, size)),
    warm: () => void start(),
    remove: (path) => call((r) => r.remove(path)),
    close() {
      proxy?.[Comlink.releaseProxy]();
      life?.end(createError('CLOSED', 'the vector files were closed while this call was pending'));
      life = proxy = undefined;
    },
  };
}
