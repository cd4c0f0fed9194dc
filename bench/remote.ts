// `npm run bench:remote [-- --json] [-- --model ID] [-- --dtype q8|fp32]`: indexing
// throughput of the Vite docs (../shared/corpora/vite-docs as HTML) embedded in this
// process, then on one, two and four endpoints of the test server (each its own
// process: TEI's protocol over the same model), side by side in one run; and the
// protocol's own cost per passage, measured with the tiny model, whose compute is
// negligible. All endpoints share this machine's cores: the figures show that the
// remote path keeps up and what HTTP and JSON cost, not what N GPUs would give.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createIndexer, type IndexerOptions } from '../src/indexer/indexer.ts';
import type { Dtype } from '../src/core/manifest.ts';
import { MODELS_ROOT } from '../scripts/forge/forge.ts';
import { renderCorpusSite } from './corpus.ts';

const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const MODEL = args.includes('--model') ? args[args.indexOf('--model') + 1]! : 'pagesense-test/bge-small-arch';
const DTYPE = (args.includes('--dtype') ? args[args.indexOf('--dtype') + 1]! : 'q8') as Dtype;
const log = (s: string) => !JSON_OUT && console.log(s);

const work = mkdtempSync(join(tmpdir(), 'pagesense-bench-remote-'));
const site = join(work, 'site');
renderCorpusSite(site);

async function startServers(n: number, model: string, dtype: string): Promise<{ urls: string[]; children: ChildProcess[] }> {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', 'bench/embedding-server-main.ts', model, dtype], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const urls = await Promise.all(children.map((c) => new Promise<string>((resolve) => createInterface({ input: c.stdout! }).once('line', resolve))));
  return { urls, children };
}

/** Passages per second of one index run (fresh cache, no Pagefind). */
async function rate(model: string, dtype: Dtype, extra: Partial<IndexerOptions>): Promise<{ pps: number; passages: number }> {
  const indexer = await createIndexer({
    model,
    dtype,
    localModelPath: MODELS_ROOT,
    allowRemoteModels: false,
    cacheDir: mkdtempSync(join(work, 'cache-')),
    lexical: false,
    ...extra,
  });
  let pps = 0;
  const r = await indexer.index(site, {
    out: mkdtempSync(join(work, 'out-')),
    onProgress: (p) => p.status === 'embed' && p.done === p.total && (pps = p.passagesPerSecond),
  });
  await indexer.dispose();
  return { pps, passages: r.embedded };
}

const rows: Record<string, unknown>[] = [];
log(`embedding ${site} with ${MODEL} (${DTYPE}) in this process…`);
const local = await rate(MODEL, DTYPE, {});
rows.push({ where: 'local', endpoints: 0, model: MODEL, passages: local.passages, passages_per_second: +local.pps.toFixed(1) });
for (const n of [1, 2, 4]) {
  log(`… on ${n} endpoint(s)`);
  const { urls, children } = await startServers(n, MODEL, DTYPE);
  try {
    const r = await rate(MODEL, DTYPE, { embedEndpoints: urls, embedConcurrency: 2 });
    rows.push({ where: 'tei', endpoints: n, model: MODEL, passages: r.passages, passages_per_second: +r.pps.toFixed(1) });
  } finally {
    children.forEach((c) => c.kill('SIGTERM'));
  }
}
// The protocol's own cost: the tiny model computes in microseconds, so the difference is HTTP and JSON.
const TINY = 'pagesense-test/bert-tiny';
const tinyLocal = await rate(TINY, 'fp32', {});
const { urls, children } = await startServers(1, TINY, 'fp32');
let tinyRemote: { pps: number; passages: number };
try {
  tinyRemote = await rate(TINY, 'fp32', { embedEndpoints: urls, embedConcurrency: 1 });
} finally {
  children.forEach((c) => c.kill('SIGTERM'));
}
const overheadMs = 1000 / tinyRemote.pps - 1000 / tinyLocal.pps;
rows.push({
  where: 'protocol',
  endpoints: 1,
  model: TINY,
  local_passages_per_second: +tinyLocal.pps.toFixed(1),
  remote_passages_per_second: +tinyRemote.pps.toFixed(1),
  overhead_ms_per_passage: +overheadMs.toFixed(3),
});

if (JSON_OUT) for (const r of rows) console.log(JSON.stringify(r));
else {
  for (const r of rows) console.log(JSON.stringify(r));
  const base = rows[0]!.passages_per_second as number;
  for (const r of rows.slice(1, 4))
    console.log(
      `${r.endpoints} endpoint(s): ${r.passages_per_second}/s = ${(((r.passages_per_second as number) / base) * 100).toFixed(0)}% of local ${base}/s (all on this machine's 2 cores)`,
    );
  console.log(`protocol overhead (${TINY}, 1 endpoint, 1 request in flight): ${overheadMs.toFixed(2)} ms per passage`);
}
