// The worker's half of src/platform/worker-lifeline.ts: hold a Web Lock named after
// this worker until it ends, then tell the page it started. Call it after
// Comlink.expose, so 'started' means the API answers.
import { LIFELINE_STARTED } from '../src/platform/worker-lifeline.ts';

interface LockManagerLike {
  request(name: string, callback: () => Promise<never>): Promise<unknown>;
}

export function holdLifeline(): void {
  const started = () => self.postMessage(LIFELINE_STARTED);
  const locks = (self.navigator as { locks?: LockManagerLike }).locks;
  if (!locks || !self.name) return started();
  // The callback's promise never settles: the lock goes only when this worker does.
  locks.request(self.name, () => (started(), new Promise<never>(() => {}))).catch(started);
}
