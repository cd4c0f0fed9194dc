// The `pagesense` command's verbs. One verb per job, flags named after the options
// they set (flags.ts), a closing summary, and a one-line reason with a non-zero exit
// for a mistake (never a stack trace): 2 for the command line, 1 for what ran.
import { relative, resolve } from 'node:path';
import { isPagesenseError } from '../core/errors.ts';
import { DTYPES, type Dtype } from '../core/manifest.ts';
import { DEFAULT_MODELS_DIR } from '../models/model-files.ts';
import { DEFAULT_MODEL_ID, findModel, MODEL_IDS } from '../models/registry.ts';
import { findSparseModel, SPARSE_MODEL_IDS } from '../models/sparse-registry.ts';
import { EMBED_APIS, type EmbedApi } from '../indexer/remote-api.ts';
import { PAGESENSE_VERSION } from '../version.ts';
import { DTYPE_FILES, fetchModel } from './fetch-model.ts';
import { commandHelp, parseFlags, UsageError, wholeNumber, type CommandSpec, type FlagSpec } from './flags.ts';
import { copyPageAssets } from './page-assets.ts';
import { embedProgress } from './progress-lines.ts';

const HUB_DEFAULT = '$PAGESENSE_HUB_URL or https://huggingface.co';

/** `pagesense index`'s flags; `passages` takes those that decide the passages. */
const INDEX_FLAGS: FlagSpec[] = [
  { flag: '--out', option: 'out', value: '<dir>', default: '<dir>/pagesense', help: 'Where the index goes.' },
  { flag: '--model', option: 'model', value: '<id>', default: DEFAULT_MODEL_ID, help: 'Model; the page loads the same one.' },
  {
    flag: '--dtype',
    option: 'dtype',
    value: '<dtype>',
    default: "the model's WASM dtype (q8 for the Hub's models)",
    help: 'Weights: fp32, fp16 or q8; the page loads the same.',
  },
  {
    flag: '--local-model-path',
    option: 'localModelPath',
    value: '<dir>',
    default: DEFAULT_MODELS_DIR,
    help: 'Self-hosted models (what fetch-model writes), tried before the Hub.',
    aliases: ['--models'],
  },
  {
    flag: '--no-allow-remote-models',
    option: 'allowRemoteModels',
    default: 'the Hub is asked when the model is not self-hosted',
    help: 'Never call the Hub: the model must be under --local-model-path.',
    aliases: ['--offline'],
  },
  { flag: '--max-tokens', option: 'maxTokens', value: '<n>', default: '256', help: "Tokens per passage, the model's [CLS] and [SEP] included." },
  {
    flag: '--overlap-tokens',
    option: 'overlapTokens',
    value: '<n>',
    default: '32',
    help: 'Tokens repeated from one passage into the next.',
    aliases: ['--overlap'],
  },
  { flag: '--cache-dir', option: 'cacheDir', value: '<dir>', default: '.pagesense-cache', help: 'Embeddings kept between runs.', aliases: ['--cache'] },
  { flag: '--batch-size', option: 'batchSize', value: '<n>', default: '32', help: 'Texts per model call.' },
  {
    flag: '--bundle-model',
    option: 'bundleModel',
    default: 'off',
    help: "Copy the model's files into the index folder (the page then never calls the Hub).",
  },
  { flag: '--no-code', option: 'code', default: 'code blocks are kept', help: 'Leave code blocks out.' },
  { flag: '--no-lexical', option: 'lexical', default: "Pagefind's index is written", help: 'Skip the lexical side (Pagefind).' },
  {
    flag: '--sparse',
    option: 'sparse',
    value: '<id>',
    default: 'none',
    help: `Also write the learned-sparse side with this document encoder (semantic answers with no model in the page): ${SPARSE_MODEL_IDS.filter((id) => !findSparseModel(id)!.generated).join(', ')}.`,
  },
  { flag: '--sparse-top-terms', option: 'sparseTopTerms', value: '<n>', default: '256', help: 'Tokens kept per passage on the sparse side.' },
  {
    flag: '--embed-endpoint',
    option: 'embedEndpoints',
    value: '<url>[,<url>…]',
    default: 'none: embed in this process',
    help: 'Embed passages on these servers (text-embeddings-inference, OpenAI-compatible, Ollama), batches spread over all; canaries and a sample are checked against the local model. $PAGESENSE_EMBED_API_KEY, when set, goes as a Bearer token.',
  },
  { flag: '--embed-api', option: 'embedApi', value: '<api>', default: 'tei', help: `What the endpoints speak: ${EMBED_APIS.join(', ')}.` },
  {
    flag: '--embed-model',
    option: 'embedModel',
    value: '<name>',
    default: 'the model id',
    help: 'The model name sent to OpenAI-compatible and Ollama servers.',
  },
  { flag: '--embed-concurrency', option: 'embedConcurrency', value: '<n>', default: '4', help: 'Requests in flight per endpoint.' },
  {
    flag: '--vectors',
    option: 'vectorsFile',
    value: '<file>',
    default: 'none: embed here',
    help: "A batch job's vectors (Parquet or Arrow IPC: id, vector) for the passages `pagesense passages` wrote; a sample is checked against the local model.",
  },
];

export const COMMANDS = {
  assets: {
    name: 'assets',
    usage: 'assets <dir>',
    brief: 'Copy the files pages load (widget, API, workers, onnxruntime) into <dir>.',
    summary:
      'Copy the files a page without a bundler loads (index.js, core.js, widget.js, the two workers, ort/ with\nonnxruntime-web\'s .mjs and .wasm) into <dir>. Import <dir>/index.js or <dir>/widget.js from a <script type="module">.',
    flags: [],
    notes: 'Bundlers (Vite, webpack 5) need no assets command: they find the workers and ort/ files themselves.',
  },
  'fetch-model': {
    name: 'fetch-model',
    usage: 'fetch-model [id]',
    brief: 'Download a model once into public/models, so the site serves it itself.',
    summary: `Download a model once (default ${DEFAULT_MODEL_ID}) so the site serves it itself; needs the Hub or a mirror.\nModels: ${MODEL_IDS.filter((id) => !findModel(id)!.generated).join(', ')}.`,
    flags: [
      {
        flag: '--dtype',
        value: '<list>',
        default: "the model's WASM dtype (q8 for the Hub's models)",
        help: `Weights, comma-separated: ${Object.keys(DTYPE_FILES).join(', ')}.`,
      },
      {
        flag: '--local-model-path',
        value: '<dir>',
        default: DEFAULT_MODELS_DIR,
        help: 'Where <id>/ goes: the folder `pagesense index` reads and the site serves at /models/.',
        aliases: ['--out'],
      },
      { flag: '--hub', value: '<url>', default: HUB_DEFAULT, help: 'The Hugging Face Hub or a mirror.' },
      { flag: '--revision', value: '<rev>', default: 'main', help: 'Hub revision.' },
      {
        flag: '--sparse',
        default: 'off',
        help: 'The id is a learned-sparse document encoder (for `pagesense index --sparse`): fetch its fill-mask ONNX, tokenizer and idf.json.',
      },
    ],
  },
  index: {
    name: 'index',
    usage: 'index <dir>',
    brief: 'Index a built site or a Markdown folder into <dir>/pagesense for <pagesense-search>.',
    summary:
      "Index a built site (its .html) or a folder of Markdown for <pagesense-search>: writes <dir>/pagesense/\n(manifest, int8 codes, float32 rescoring shards, passage shards, Pagefind's index).\nNeeds @huggingface/transformers, onnxruntime-node and pagefind installed beside pagesense.",
    flags: INDEX_FLAGS,
  },
  passages: {
    name: 'passages',
    usage: 'passages <dir>',
    brief: 'Write the passages `pagesense index` would embed as Parquet, for a batch engine.',
    summary:
      "Write the passages of a built site or a Markdown folder as Parquet (id: the text's SHA-256, text, url#anchor), cut as\n`pagesense index` cuts them, for a batch job (Ray Data, Spark, Daft) to embed; then `pagesense index <dir> --vectors <file>`\nreads its Parquet or Arrow file (id, vector). Needs @huggingface/transformers (the tokenizer) and hyparquet-writer.",
    flags: [
      { flag: '--out', value: '<file>', default: 'passages.parquet', help: 'The Parquet file to write.' },
      ...INDEX_FLAGS.filter((f) =>
        ['--model', '--local-model-path', '--no-allow-remote-models', '--max-tokens', '--overlap-tokens', '--no-code'].includes(f.flag),
      ),
    ],
  },
} satisfies Record<string, CommandSpec>;

type CommandName = keyof typeof COMMANDS;
const isCommand = (name: string): name is CommandName => Object.prototype.hasOwnProperty.call(COMMANDS, name);

const HELP = `pagesense ${PAGESENSE_VERSION} — semantic search that runs entirely inside a web page

Usage:
  pagesense <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.padEnd(20)}${c.brief}`)
  .join('\n')}

Options:
  -h, --help          Show this help and exit; pagesense <command> --help shows a command's flags.
  -v, --version       Print the version and exit.

Docs: README.md in the package.`;

function onePositional(c: CommandSpec, positionals: string[], what: string, required: boolean): string | undefined {
  if (positionals.length > 1) throw new UsageError(`unexpected ${positionals.slice(1).join(' ')} (see pagesense ${c.name} --help)`);
  if (required && !positionals[0]) throw new UsageError(`needs ${what}: pagesense ${c.usage}`);
  return positionals[0];
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const shown = (path: string) => relative(process.cwd(), path) || '.';

function assets(args: string[]): string {
  const { positionals } = parseFlags(COMMANDS.assets, args);
  const dir = onePositional(COMMANDS.assets, positionals, 'a folder', true)!;
  const r = copyPageAssets(resolve(dir), 'all');
  return `copied ${r.files} files (${mb(r.bytes)}) into ${shown(resolve(dir))}`;
}

async function fetchModelCommand(args: string[], log: (line: string) => void): Promise<string> {
  const c = COMMANDS['fetch-model'];
  const { values, positionals } = parseFlags(c, args);
  const modelId = onePositional(c, positionals, 'a model id', false) ?? DEFAULT_MODEL_ID;
  const sparse = values['sparse'] === true;
  if (sparse && !findSparseModel(modelId)) throw new UsageError(`unknown sparse model ${modelId}; use one of ${SPARSE_MODEL_IDS.join(', ')}`);
  const dtypes = ((values['dtype'] as string | undefined) ?? findModel(modelId)?.dtype.wasm ?? 'fp32').split(',');
  const outDir = resolve((values['local-model-path'] as string | undefined) ?? DEFAULT_MODELS_DIR);
  const hubUrl = (values['hub'] as string | undefined) ?? process.env['PAGESENSE_HUB_URL'] ?? 'https://huggingface.co';
  const revision = (values['revision'] as string | undefined) ?? 'main';
  await fetchModel({ modelId, dtypes, outDir, hubUrl, revision, log, sparse });
  const sameFolder = outDir === resolve(DEFAULT_MODELS_DIR) ? '' : ` --local-model-path ${shown(outDir)}`;
  if (sparse)
    return `${modelId} is under ${shown(resolve(outDir, modelId))}; \`pagesense index --sparse ${modelId}${sameFolder}\` encodes passages with it (the page never loads it).`;
  return `${modelId} is self-hosted under ${shown(resolve(outDir, modelId))}; \`pagesense index --model ${modelId}${sameFolder}\` and pages (localModelPath) load it from there.`;
}

async function passagesCommand(args: string[], log: (line: string) => void): Promise<string> {
  const c = COMMANDS.passages;
  const { values: v, positionals } = parseFlags(c, args);
  const dir = onePositional(c, positionals, 'a folder', true)!;
  const model = (v['model'] as string | undefined) ?? DEFAULT_MODEL_ID;
  if (!findModel(model)) throw new UsageError(`unknown model ${model}; use one of ${MODEL_IDS.join(', ')}`);
  const maxTokens = wholeNumber(c, v, 'max-tokens', 10);
  const overlapTokens = wholeNumber(c, v, 'overlap-tokens', 0);
  let exportModule: typeof import('../indexer/passage-export.ts');
  try {
    exportModule = await import('../indexer/passage-export.ts');
  } catch (err) {
    throw new UsageError(
      `needs @huggingface/transformers and hyparquet-writer: npm install -D @huggingface/transformers hyparquet-writer (${(err as Error).message})`,
    );
  }
  log(`cutting ${shown(resolve(dir))} into passages with ${model}'s tokenizer`);
  const r = await exportModule.exportPassages(dir, (v['out'] as string | undefined) ?? 'passages.parquet', {
    model,
    ...(v['local-model-path'] ? { localModelPath: v['local-model-path'] as string } : {}),
    allowRemoteModels: v['no-allow-remote-models'] !== true,
    code: v['no-code'] !== true,
    ...(maxTokens ? { maxTokens } : {}),
    ...(overlapTokens !== undefined ? { overlapTokens } : {}),
  });
  return `wrote ${r.passages} passages from ${r.pages} pages to ${shown(r.file)} (id, text, url); embed the text column with ${model}, passages as they are (no instruction, normalized), then \`pagesense index ${dir} --vectors <file>\` with the same passage flags`;
}

async function indexCommand(args: string[], log: (line: string) => void, tty: boolean): Promise<string> {
  const c = COMMANDS.index;
  const { values: v, positionals } = parseFlags(c, args);
  const dir = onePositional(c, positionals, 'a folder', true)!;
  const str = (name: string) => v[name] as string | undefined;
  const maxTokens = wholeNumber(c, v, 'max-tokens', 10);
  const overlapTokens = wholeNumber(c, v, 'overlap-tokens', 0);
  const batchSize = wholeNumber(c, v, 'batch-size', 1);
  const dtype = str('dtype');
  if (dtype !== undefined && !(DTYPES as readonly string[]).includes(dtype)) throw new UsageError(`--dtype takes one of ${DTYPES.join(', ')}, got ${dtype}`);
  const model = str('model') ?? DEFAULT_MODEL_ID;
  if (!findModel(model)) throw new UsageError(`unknown model ${model}; use one of ${MODEL_IDS.join(', ')}`);
  const sparse = str('sparse');
  if (sparse !== undefined && !findSparseModel(sparse)) throw new UsageError(`unknown sparse model ${sparse}; use one of ${SPARSE_MODEL_IDS.join(', ')}`);
  const sparseTopTerms = wholeNumber(c, v, 'sparse-top-terms', 1);
  const embedEndpoints = str('embed-endpoint')
    ?.split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of embedEndpoints ?? []) if (!/^https?:\/\//.test(e)) throw new UsageError(`--embed-endpoint takes http(s) URLs, got ${e}`);
  const embedApi = str('embed-api');
  if (embedApi !== undefined && !(EMBED_APIS as readonly string[]).includes(embedApi))
    throw new UsageError(`--embed-api takes one of ${EMBED_APIS.join(', ')}, got ${embedApi}`);
  const embedConcurrency = wholeNumber(c, v, 'embed-concurrency', 1);
  let indexerModule: typeof import('../indexer/indexer.ts');
  try {
    indexerModule = await import('../indexer/indexer.ts');
  } catch (err) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String((err as Error).message))?.[1];
    throw new UsageError(
      `needs ${missing ?? 'its Node packages'}: npm install -D @huggingface/transformers onnxruntime-node pagefind${missing ? '' : ` (${(err as Error).message})`}`,
    );
  }
  const localModelPath = str('local-model-path') ?? DEFAULT_MODELS_DIR;
  const allowRemoteModels = v['no-allow-remote-models'] !== true;
  log(`loading ${model}${dtype ? ` (${dtype})` : ''} from ${shown(resolve(localModelPath))}${allowRemoteModels ? ', else the Hub' : ''}`);
  const indexer = await indexerModule.createIndexer({
    model,
    localModelPath,
    allowRemoteModels,
    code: v['no-code'] !== true,
    lexical: v['no-lexical'] !== true,
    bundleModel: v['bundle-model'] === true,
    ...(dtype ? { dtype: dtype as Dtype } : {}),
    ...(str('cache-dir') ? { cacheDir: str('cache-dir') } : {}),
    ...(maxTokens ? { maxTokens } : {}),
    ...(overlapTokens !== undefined ? { overlapTokens } : {}),
    ...(batchSize ? { batchSize } : {}),
    ...(sparse ? { sparse } : {}),
    ...(sparseTopTerms ? { sparseTopTerms } : {}),
    ...(embedEndpoints?.length ? { embedEndpoints } : {}),
    ...(embedApi ? { embedApi: embedApi as EmbedApi } : {}),
    ...(str('embed-model') ? { embedModel: str('embed-model') } : {}),
    ...(embedConcurrency ? { embedConcurrency } : {}),
    // A key never goes on the command line (shell history, process lists): the environment carries it.
    ...(process.env['PAGESENSE_EMBED_API_KEY'] ? { embedHeaders: { Authorization: `Bearer ${process.env['PAGESENSE_EMBED_API_KEY']}` } } : {}),
    ...(str('vectors') ? { vectorsFile: str('vectors') } : {}),
  });
  const progress = embedProgress(log, tty);
  const sparseProgress = embedProgress(log, tty, undefined, 'sparse-encoding');
  try {
    const out = str('out');
    const r = await indexer.index(dir, {
      ...(out ? { out } : {}),
      onProgress(p) {
        if (p.status === 'pages') {
          log(`${p.pages} pages, ${p.passages} passages`);
          for (const file of p.skipped) log(`  skipped ${file}: no text in its main content`);
        } else if (p.status === 'engine') {
          const e = p.engines[0]!;
          log(
            `embedding on ${p.engines.length} ${e.api} endpoint(s)${e.modelId ? `: ${e.modelId}${e.modelSha ? `@${e.modelSha.slice(0, 8)}` : ''}${e.dtype ? ` (${e.dtype})` : ''}` : ''}${e.version ? `, version ${e.version}` : ''}; ` +
              `canaries match the local model (worst cosine ${p.canaries.minCosine.toFixed(6)})`,
          );
          for (const w of p.warnings) log(`  warning: ${w}`);
        } else if (p.status === 'embed') {
          progress(p.done, p.total, p.passagesPerSecond);
          if (p.endpoints && p.done === p.total)
            for (const s of p.endpoints)
              log(
                `  ${s.endpoint}: ${s.done} passages, ${s.passagesPerSecond.toFixed(1)}/s${s.retries ? `, ${s.retries} retries` : ''}${s.dropped ? ', dropped' : ''}`,
              );
        } else if (p.status === 'sparse') sparseProgress(p.done, p.total, p.passagesPerSecond);
        else if (p.status === 'lexical') log('writing the lexical index (Pagefind)');
      },
    });
    const m = r.manifest;
    const bundled = m.model.bundled ? `; the model (${mb(m.model.bundled.bytes)}) is bundled in ${m.model.bundled.path}` : '';
    const engine = m.model.engine
      ? `; vectors by ${m.model.engine.api} on ${m.model.engine.endpoints} endpoint(s), sample parity: worst cosine ${m.model.engine.parity.sample?.minCosine.toFixed(6) ?? 'n/a (nothing new embedded)'}`
      : '';
    const sparseLine = m.sparse
      ? `; sparse side by ${m.sparse.model.id}: ${m.sparse.counts.tokens} tokens, ${m.sparse.counts.postings} postings in ${m.sparse.postings.length} shards`
      : '';
    return (
      `indexed ${m.counts.passages} passages from ${m.counts.pages} pages into ${shown(r.out)} (${r.embedded} embedded, ${m.counts.passages - r.embedded} from the cache) ` +
      `with ${m.model.id} (${m.model.dtype}); ${mb(r.bytes)} written in ${r.seconds.toFixed(1)} s${bundled}${engine}${sparseLine}`
    );
  } finally {
    await indexer.dispose();
  }
}

type Print = (line: string) => void;
const stdout: Print = (s) => void process.stdout.write(s + '\n');
const stderr: Print = (s) => void process.stderr.write(s + '\n');

/** Runs one command line; prints its output and returns the exit code. */
export async function runCli(argv: readonly string[], out: Print = stdout, err: Print = stderr): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '-h' || command === '--help') return (out(HELP), 0);
  if (command === '-v' || command === '--version') return (out(PAGESENSE_VERSION), 0);
  if (command === 'help') {
    const about = args[0];
    out(about && isCommand(about) ? commandHelp(COMMANDS[about]) : HELP);
    return 0;
  }
  if (!isCommand(command)) {
    err(`pagesense: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')} (see pagesense --help)`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) return (out(commandHelp(COMMANDS[command])), 0);
  try {
    if (command === 'assets') out(assets(args));
    else if (command === 'fetch-model') out(await fetchModelCommand(args, out));
    else if (command === 'passages') out(await passagesCommand(args, err));
    else out(await indexCommand(args, err, process.stderr.isTTY === true));
    return 0;
  } catch (e) {
    // One line naming the command once; catalog errors keep their code for scripts that grep logs.
    const message = (e as Error)?.message ?? String(e);
    err(`pagesense ${command}: ${isPagesenseError(e) ? `${message} [${e.code}]` : message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}
