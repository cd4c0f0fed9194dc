// One embedding server process for bench:remote: the test server (TEI, OpenAI and
// Ollama protocols) over the local Node embedder. Prints its URL on the first line.
import { loadTransformersEmbedder } from '../src/embedding/transformers-runtime.ts';
import type { Dtype } from '../src/core/manifest.ts';
import { MODELS_ROOT } from '../scripts/forge/forge.ts';
import { startEmbeddingServer } from '../test/helpers/embedding-server.ts';

const [model = 'pagesense-test/bge-small-arch', dtype = 'q8'] = process.argv.slice(2);
const embedder = await loadTransformersEmbedder({ model, dtype: dtype as Dtype, localModelPath: MODELS_ROOT + '/', device: 'cpu', batchSize: 32 });
const server = await startEmbeddingServer(embedder, model);
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
