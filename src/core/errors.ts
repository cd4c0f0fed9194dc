// One catalog of error codes. Errors cross the worker boundary by value
// (structured clone drops the class), so callers check `err.code`, never
// `instanceof`.

export const ERROR_CODES = {
  INVALID_ARGUMENT: 'An argument has the wrong type or value.',
  UNKNOWN_OPTION: 'An options object names an option that does not exist; the message lists the allowed ones.',
  NOT_FOUND: 'A collection, document or model that the call names does not exist.',
  DUPLICATE_ID: 'A document id is given twice in one call, or is already stored (use upsert to replace it).',
  INVALID_STATE: 'The object is not in a state that allows this call (for example, a model is already loaded).',
  UNSUPPORTED: 'This engine or browser lacks a feature the call needs.',
  EMPTY_TEXT: 'A text to embed or index is empty.',
  TEXT_TOO_LONG: 'A text is longer than the limit.',
  DIMENSION_MISMATCH: 'A vector does not have the dimension the index expects.',
  NON_FINITE_VECTOR: 'A vector holds NaN or Infinity.',
  MODEL_MISMATCH: 'The collection was built with a different model or settings.',
  CORRUPT_INDEX: 'Stored index data is damaged or not a pagesense index.',
  MODEL_UNAVAILABLE: 'The embedding model could not be loaded from any source.',
  STORAGE_FAILED: 'The browser refused a storage operation.',
  READ_FAILED: 'A file or folder could not be read (Node: the indexer and the CLI).',
  WRITE_FAILED: 'A file or folder could not be written (Node: the indexer and the CLI).',
  DOWNLOAD_FAILED: 'A server could not be reached, or answered a download with an error.',
  QUOTA_EXCEEDED: 'The browser storage quota is exhausted.',
  CANCELLED: 'The operation was cancelled.',
  CONFLICT: 'Another tab changed the data while this operation ran; nothing was changed, try again.',
  CLOSED: 'The instance was closed.',
  WORKER_FAILED:
    'A worker stopped (it crashed, was closed, or stalled or threw while starting); the calls pending on it failed and the next call starts a new one.',
  ENGINE_FAILED: 'A remote embedding engine failed or refused the model setup (the message names the endpoint).',
  PARITY_FAILED: "Vectors made elsewhere do not match the page's model; nothing was written.",
  OUT_OF_MEMORY:
    'The model runtime ran out of memory (a batch or a model too large for this device); its worker was replaced, so the next call starts fresh. Use smaller batches (maxBatchTokens) or a smaller model.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PagesenseError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PagesenseError';
    this.code = code;
    this.details = details;
  }
}

export function createError(code: ErrorCode, message: string, details?: Record<string, unknown>, cause?: unknown): PagesenseError {
  return new PagesenseError(code, message, details, cause === undefined ? undefined : { cause });
}

/** True for a PagesenseError (or its structured-clone copy) with the given code. */
export function isPagesenseError(err: unknown, code?: ErrorCode): err is PagesenseError {
  if (typeof err !== 'object' || err === null) return false;
  const c = (err as { code?: unknown }).code;
  return typeof c === 'string' && c in ERROR_CODES && (code === undefined || c === code);
}

/**
 * The messages more than one place throws, as templates over what they name (also
 * kept in `details`), so the same failure always reads the same and says what to do.
 */
export const ERROR_MESSAGES = {
  collectionNotFound: (collection: string) => createError('NOT_FOUND', `collection "${collection}" does not exist; open it first`, { collection }),
  documentNotFound: (id: string, collection: string) => createError('NOT_FOUND', `document "${id}" is not in collection "${collection}"`, { id, collection }),
  duplicateInCall: (id: string, where: 'call' | 'batch') =>
    createError('DUPLICATE_ID', `document id "${id}" appears twice in one ${where}; give each document its own id`, { id }),
  /** `where`: 'collection "docs"', or what was being done when IndexedDB refused the key. */
  alreadyStored: (where: string, id?: string, cause?: unknown) =>
    createError(
      'DUPLICATE_ID',
      `${id === undefined ? 'a document id' : `document "${id}"`} is already in ${where}; nothing from this batch was saved. Use upsert to replace documents.`,
      id === undefined ? undefined : { id },
      cause,
    ),
} as const;
