// Starting a module worker and knowing when it is gone. comlink never settles a call
// whose worker died, and a worker that ends by itself (self.close(), the browser
// killing it for memory) fires no event. So each worker holds a Web Lock named after
// it for its whole life (workers/lifeline.ts); the browser releases a lock when its
// holder ends, however it ends, and the page's own request for that lock is granted
// exactly then. The worker's first message ('started') also bounds start-up: a worker
// whose script stalls or throws before it exposes its API ends in WORKER_FAILED.
import { createError, type PagesenseError } from '../core/errors.ts';
import { pendingCalls } from '../core/pending-calls.ts';
import { trustedScriptUrl } from './trusted-types.ts';

/** The message a worker posts once its module ran and it holds its lifeline. */
export const LIFELINE_STARTED = 'pagesense:started';

/** How long a worker may take to fetch and run its script before start-up fails. */
export const DEFAULT_START_TIMEOUT_MS = 20_000;

export interface WorkerLife {
  worker: Worker;
  /** Resolves once the worker's module ran and holds its lifeline; rejects with WORKER_FAILED if it does not get there. */
  started: Promise<void>;
  /** Never resolves: rejects with the reason when the worker is gone (it ended, failed or end() was called). */
  gone: Promise<never>;
  /** `call`, or its rejection with the reason if the worker goes first (core/pending-calls.ts: use this, not Promise.race with `gone`). */
  guard<T>(call: Promise<T>): Promise<T>;
  /** Whether the worker is gone. */
  readonly isGone: boolean;
  /** Rejects `gone` with `reason` and terminates the worker. */
  end(reason: PagesenseError): void;
}

interface LockManagerLike {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

let lifelines = 0;

/**
 * `new Worker` for a module worker on the page's origin that also works where the page
 * enforces Trusted Types. Import it as `Worker` and call it as
 * `new Worker(new URL('…', import.meta.url), options)`: that literal shape is what
 * bundlers (Vite, webpack 5) look for to bundle the worker and rewrite its URL.
 */
export const TrustedWorker = function TrustedWorker(url: URL, options: WorkerOptions): Worker {
  return new globalThis.Worker(trustedScriptUrl(url.href) as unknown as URL, options);
} as unknown as { new (url: URL, options: WorkerOptions): Worker };

/** `create` makes the worker with the given name; `role` names it in dev tools and in errors ('embed', 'vector-file'). */
export function startWorker(create: (name: string) => Worker, role: string, startTimeoutMs = DEFAULT_START_TIMEOUT_MS): WorkerLife {
  // The lock name must be unique to this worker across tabs: the same origin shares locks.
  const name = `pagesense-${role}#${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${++lifelines}`;
  let fail: (err: PagesenseError) => void = () => {};
  const gone = new Promise<never>((_, reject) => (fail = reject));
  gone.catch(() => undefined); // an ending nobody waits on is not an unhandled rejection
  const calls = pendingCalls();
  const worker = create(name);
  const end = (reason: PagesenseError) => {
    if (calls.ended) return;
    calls.endAll(reason);
    fail(reason);
    worker.terminate();
  };
  const failed = (what: string, reason: string) => createError('WORKER_FAILED', `the ${role} worker ${what}; the next call starts a new one`, { role, reason });
  worker.addEventListener('error', (e) => {
    e.preventDefault(); // ours to report, as a typed error, not an uncaught one on the page
    end(failed(`failed: ${e.message || 'its script did not load or threw'}`, 'error'));
  });
  worker.addEventListener('messageerror', () => end(failed('sent a message the page could not read', 'messageerror')));
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => end(failed(`did not start within ${startTimeoutMs} ms (its script stalled or never loaded)`, 'start-timeout')),
      startTimeoutMs,
    );
    const onMessage = (e: MessageEvent) => {
      if (e.data !== LIFELINE_STARTED) return;
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      watchLifeline(name, () => end(failed('stopped (it was closed, crashed or ran out of memory)', 'ended')));
      resolve();
    };
    worker.addEventListener('message', onMessage);
    gone.catch((err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  started.catch(() => undefined);
  return {
    worker,
    started,
    gone,
    guard: calls.guard,
    get isGone() {
      return calls.ended;
    },
    end,
  };
}

/** Calls `onRelease` when the lock `name`, which the worker holds while it lives, is released. */
function watchLifeline(name: string, onRelease: () => void): void {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  // Without Web Locks (insecure contexts, old engines) only the error event tells.
  if (!locks) return;
  locks.request(name, onRelease).catch(() => undefined);
}
