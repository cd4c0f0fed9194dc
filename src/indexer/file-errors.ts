// File-system failures as catalog errors: a Node errno error (EACCES, ENOSPC, EROFS…)
// becomes WRITE_FAILED or READ_FAILED naming the path and the system's reason, so the
// CLI prints one line a user can act on instead of a stack trace.
import { createError, isPagesenseError } from '../core/errors.ts';

export function writingTo<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (isPagesenseError(err)) throw err;
    throw createError('WRITE_FAILED', `cannot write ${path}: ${(err as Error).message}`, { path }, err);
  }
}

export function readingFrom<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (isPagesenseError(err)) throw err;
    throw createError('READ_FAILED', `cannot read ${path}: ${(err as Error).message}`, { path }, err);
  }
}
