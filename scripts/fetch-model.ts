// `npm run fetch-model -- <model-id> [--dtype fp32,q8] [--local-model-path public/models]`:
// the package's `pagesense fetch-model`, writing into this repository's public/models by default.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/commands.ts';

export { fetchModel, type FetchOptions } from '../src/cli/fetch-model.ts';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (!args.includes('--local-model-path') && !args.includes('--out') && !args.includes('--help'))
    args.push('--local-model-path', join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'models'));
  process.exitCode = await runCli(['fetch-model', ...args]);
}
