// What every store checks when a collection is opened or created, so the IndexedDB
// store and the memory store refuse the same things with the same words.
import { createError } from '../core/errors.ts';
import { assertCompatible, assertManifest, type CollectionManifest, type CollectionQuantization, type EmbeddingSpec } from '../core/manifest.ts';
import type { CollectionOptions } from './vector-store.ts';

/** The quantization a new collection gets (default 'none'); INVALID_ARGUMENT for any other value. */
export function newQuantization(options: CollectionOptions): CollectionQuantization {
  const quantization = options.quantization ?? 'none';
  if (quantization !== 'none' && quantization !== 'int8')
    throw createError('INVALID_ARGUMENT', `quantization must be "none" or "int8", got ${JSON.stringify(quantization)}`);
  return quantization;
}

/** An existing collection's manifest, once it is known to fit `spec` and `options` (else MODEL_MISMATCH). */
export function checkExisting(manifest: unknown, spec: EmbeddingSpec, options: CollectionOptions, name: string): CollectionManifest {
  assertManifest(manifest, `collection "${name}"`);
  assertCompatible(manifest, spec, name);
  if (options.quantization !== undefined && options.quantization !== manifest.quantization) {
    throw createError(
      'MODEL_MISMATCH',
      `Collection "${name}" is stored with quantization "${manifest.quantization}", not "${options.quantization}". Open it without a quantization option, or re-index it.`,
      {
        diffs: [{ field: 'quantization', stored: manifest.quantization, requested: options.quantization }],
      },
    );
  }
  return manifest;
}
