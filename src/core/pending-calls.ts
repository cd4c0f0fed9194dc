// Calls that one event must end at once (a worker gone, an instance disposed). Each
// call registers its own rejecter and removes it when it settles: a Promise.race
// against a long-lived "ended" promise would instead leave one reaction on it per
// call, for as long as that promise lives.

export interface PendingCalls {
  /** `call`, or its rejection with the reason given to endAll() if that comes first (at once if it already came). */
  guard<T>(call: Promise<T>): Promise<T>;
  /** Rejects every call guarded and not yet settled, and every later one, with `reason`. */
  endAll(reason: unknown): void;
  /** Whether endAll() was called. */
  readonly ended: boolean;
}

export function pendingCalls(): PendingCalls {
  const rejecters = new Set<(reason: unknown) => void>();
  let ended: { reason: unknown } | undefined;
  return {
    guard<T>(call: Promise<T>): Promise<T> {
      if (ended) {
        call.catch(() => undefined); // its outcome no longer matters
        return Promise.reject(ended.reason);
      }
      return new Promise<T>((resolve, reject) => {
        rejecters.add(reject);
        call.then(resolve, reject).finally(() => rejecters.delete(reject));
      });
    },
    endAll(reason) {
      if (ended) return;
      ended = { reason };
      for (const reject of rejecters) reject(reason);
      rejecters.clear();
    },
    get ended() {
      return ended !== undefined;
    },
  };
}
