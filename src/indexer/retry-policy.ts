// When a request to an embedding engine is worth another try, and how long to wait:
// network errors, 408, 429 and 5xx are; full-jitter exponential backoff (AWS's
// "Exponential Backoff And Jitter"), capped, except that a server's Retry-After
// (seconds or an HTTP date) is honoured as the least wait.

export const RETRY_BASE_MS = 250;
export const RETRY_CAP_MS = 15_000;

export function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Milliseconds a Retry-After header asks for, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait before attempt `attempt` (1 = the first retry). */
export function backoffMs(attempt: number, retryAfter: number | undefined, random: () => number = Math.random): number {
  const jittered = random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
  return retryAfter === undefined ? jittered : Math.max(retryAfter, jittered);
}
