// The `pagesense` command's verbs. One verb per job, flags with defaults in --help, a
// one-line reason and a non-zero exit for a user's mistake (never a stack trace).
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { DEFAULT_MODEL_ID } from '../models/registry.ts';
import { PAGESENSE_VERSION } from '../version.ts';
import { DTYPE_FILES, fetchModel } from './fetch-model.ts';

const HELP = `pagesense — semantic search that runs entirely inside a web page

Usage:
  pagesense <command> [options]

Commands:
  assets <dir>          Copy the files a page without a bundler loads (index.js, core.js,
                        the two workers, ort/ with onnxruntime-web's .mjs and .wasm) into
                        <dir>. Import <dir>/index.js from a <script type="module">.
  fetch-model [id]      Download a model once so the site serves it itself (default
                        ${DEFAULT_MODEL_ID}); needs the Hub or a mirror.
    --dtype <list>      Weights, comma-separated: ${Object.keys(DTYPE_FILES).join(', ')} (default fp32).
    --out <dir>         Where models/<id>/ goes (default ./models, beside your pages).
    --hub <url>         The Hub or a mirror (default $PAGESENSE_HUB_URL or https://huggingface.co).
    --revision <rev>    Hub revision (default main).

  index <dir>           Index a built site (its .html) or a folder of Markdown for
                        <pagesense-search>: writes <dir>/pagesense/ (manifest, int8 codes,
                        float32 rescoring shards, passage shards, Pagefind's index).
                        Needs @huggingface/transformers, onnxruntime-node and pagefind installed.
    --out <dir>         Where the index goes (default <dir>/pagesense).
    --model <id>        Model (default ${DEFAULT_MODEL_ID}); the page loads the same one.
    --models <dir>      Self-hosted models folder (default ./public/models), then the Hub.
    --offline           Never call the Hub: the model must be under --models.
    --max-tokens <n>    Tokens per passage (default 256); --overlap <n> repeated (default 32).
    --cache <dir>       Embeddings kept between runs (default ./.pagesense-cache).
    --bundle-model      Copy the model's files into the index folder (the page then never calls the Hub).
    --no-code           Leave code blocks out.  --no-lexical  Skip Pagefind.

Options:
  -h, --help            Show this help and exit.
  -v, --version         Print the version and exit.

Bundlers (Vite, webpack 5) need no assets command: they find the workers and ort/ files themselves.
Docs: README.md in the package.`;

const { SingleBar, Presets } = cliProgress;
type SingleBar = InstanceType<typeof cliProgress.SingleBar>;

class UsageError extends Error {}

/** The built package's folder: cli.js sits in dist/, beside the files a page loads. */
const distDir = () => dirname(fileURLToPath(import.meta.url));

/** Takes `--name value` out of args; a flag without a value is a usage error. */
function takeFlag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('-')) throw new UsageError(`${name} needs a value (see pagesense --help)`);
  args.splice(i, 2);
  return value;
}

function noMore(command: string, args: string[]): void {
  if (args.length) throw new UsageError(`${command}: unexpected ${args.join(' ')} (see pagesense --help)`);
}

function assets(args: string[]): string {
  const dir = args.shift();
  if (!dir || dir.startsWith('-')) throw new UsageError('assets needs a folder: pagesense assets <dir>');
  noMore('assets', args);
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) throw new UsageError(`${dir} exists and is not a folder`);
  const dist = distDir();
  // What a page downloads from the package; types and the CLI stay behind.
  const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter(
    (f) => !f.startsWith('types') && !f.startsWith('cli.js') && statSync(join(dist, f)).isFile(),
  );
  let bytes = 0;
  for (const f of files) {
    mkdirSync(dirname(join(target, f)), { recursive: true });
    cpSync(join(dist, f), join(target, f));
    bytes += statSync(join(dist, f)).size;
  }
  return `copied ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) into ${relative(process.cwd(), target) || '.'}`;
}

async function fetchModelCommand(args: string[], log: (line: string) => void): Promise<string> {
  const dtypes = (takeFlag(args, '--dtype') ?? 'fp32').split(',');
  const outDir = resolve(takeFlag(args, '--out') ?? 'models');
  const hubUrl = takeFlag(args, '--hub') ?? process.env['PAGESENSE_HUB_URL'] ?? 'https://huggingface.co';
  const revision = takeFlag(args, '--revision') ?? 'main';
  const modelId = args.shift() ?? DEFAULT_MODEL_ID;
  noMore('fetch-model', args);
  mkdirSync(outDir, { recursive: true });
  await fetchModel({ modelId, dtypes, outDir, hubUrl, revision, log });
  return `${modelId} is self-hosted under ${join(outDir, modelId)}; pages load it from there first (localModelPath).`;
}

function intFlag(args: string[], name: string): number | undefined {
  const v = takeFlag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} needs a positive whole number, got ${v}`);
  return n;
}

function takeSwitch(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}

async function indexCommand(args: string[], log: (line: string) => void, tty: boolean): Promise<string> {
  const out = takeFlag(args, '--out');
  const model = takeFlag(args, '--model');
  const models = takeFlag(args, '--models');
  const cacheDir = takeFlag(args, '--cache');
  const maxTokens = intFlag(args, '--max-tokens');
  const overlapTokens = intFlag(args, '--overlap');
  const offline = takeSwitch(args, '--offline');
  const code = !takeSwitch(args, '--no-code');
  const lexical = !takeSwitch(args, '--no-lexical');
  const bundleModel = takeSwitch(args, '--bundle-model');
  const dir = args.shift();
  if (!dir || dir.startsWith('-')) throw new UsageError('index needs a folder: pagesense index <dir>');
  noMore('index', args);
  let indexerModule: typeof import('../indexer/indexer.ts');
  try {
    indexerModule = await import('../indexer/indexer.ts');
  } catch (err) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String((err as Error).message))?.[1];
    throw new UsageError(
      `index needs ${missing ?? 'its Node packages'}: npm install -D @huggingface/transformers onnxruntime-node pagefind${missing ? '' : ` (${(err as Error).message})`}`,
    );
  }
  const indexer = await indexerModule.createIndexer({
    ...(model ? { model } : {}),
    ...(models ? { localModelPath: models } : {}),
    ...(cacheDir ? { cacheDir } : {}),
    ...(maxTokens ? { maxTokens } : {}),
    ...(overlapTokens !== undefined ? { overlapTokens } : {}),
    allowRemoteModels: !offline,
    code,
    lexical,
    bundleModel,
  });
  const progress = embedProgress(log, tty);
  try {
    const r = await indexer.index(dir, {
      ...(out ? { out } : {}),
      onProgress(p) {
        if (p.status === 'pages') {
          log(`${p.pages} pages, ${p.passages} passages`);
          for (const file of p.skipped) log(`  skipped ${file}: no text in its main content`);
        } else if (p.status === 'embed') progress(p.done, p.total, p.passagesPerSecond);
        else if (p.status === 'lexical') log('writing the lexical index (Pagefind)');
      },
    });
    const m = r.manifest;
    return `indexed ${m.counts.passages} passages from ${m.counts.pages} pages into ${relative(process.cwd(), r.out) || '.'} (${r.embedded} embedded, ${m.counts.passages - r.embedded} from the cache) with ${m.model.id} (${m.model.dtype})${m.model.bundled ? `; the model (${(m.model.bundled.bytes / 1e6).toFixed(1)} MB) is bundled in ${m.model.bundled.path}` : ''}`;
  } finally {
    await indexer.dispose();
  }
}

/** A progress bar on a terminal (cli-progress: rate and ETA); a line per tenth otherwise (CI logs). */
function embedProgress(log: (line: string) => void, tty: boolean) {
  let lastTenth = -1;
  let bar: SingleBar | undefined;
  return (done: number, total: number, rate: number) => {
    if (tty) {
      bar ??= new SingleBar(
        { format: 'embedding [{bar}] {value}/{total} passages · {rate}/s · ETA {eta_formatted}', stream: process.stderr, hideCursor: true },
        Presets.legacy,
      );
      if (!bar.isActive) bar.start(total, 0, { rate: '0.0' });
      bar.update(done, { rate: rate.toFixed(1) });
      if (done === total) bar.stop();
      return;
    }
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : 0;
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== lastTenth || done === total) log(`embedding ${done}/${total} passages · ${rate.toFixed(1)}/s · ETA ${eta} s`);
    lastTenth = tenth;
  };
}

type Print = (line: string) => void;
const stdout: Print = (s) => void process.stdout.write(s + '\n');
const stderr: Print = (s) => void process.stderr.write(s + '\n');

/** Runs one command line; prints its output and returns the exit code. */
export async function runCli(argv: readonly string[], out: Print = stdout, err: Print = stderr): Promise<number> {
  const [command, ...rest] = argv;
  const args = [...rest];
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') out(HELP);
    else if (command === '-v' || command === '--version') out(PAGESENSE_VERSION);
    else if (command === 'assets') out(assets(args));
    else if (command === 'fetch-model') out(await fetchModelCommand(args, out));
    else if (command === 'index') out(await indexCommand(args, err, process.stderr.isTTY === true));
    else throw new UsageError(`unknown command "${command}"; commands: assets, fetch-model, index (see pagesense --help)`);
    return 0;
  } catch (e) {
    err(`pagesense: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}
