// The embedder a collection gets when no model could be loaded (offline, nothing
// self-hosted): it carries the model's spec, so the collection opens as the one built
// with that model, and refuses to embed with the load's own error. Search then goes on
// with the lexical side alone.
import type { PagesenseError } from '../core/errors.ts';
import type { ModelSpec } from '../models/registry.ts';
import type { Embedder } from './embedder.ts';

export function unavailableEmbedder(spec: ModelSpec, cause: PagesenseError): Embedder {
  return {
    info: {
      modelId: spec.id,
      revision: 'main',
      dimension: spec.dimension,
      pooling: spec.pooling,
      normalized: spec.normalize,
      queryInstruction: spec.queryInstruction,
      device: 'wasm',
      dtype: 'none',
      deviceReason: 'no model loaded',
      generated: spec.generated,
      source: 'none',
      unavailable: cause.message,
    },
    embed: () => Promise.reject(cause),
    dispose: async () => {},
  };
}
