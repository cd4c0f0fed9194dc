// `npm run bench:store [-- --json] [-- --n 100000]`: IndexedDB write and open times in
// Chromium, our block store against one record per vector, same run.
import { launch } from '../e2e/browser.ts';
import { startLabServer } from '../e2e/lab-server.ts';

const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const nArg = args.indexOf('--n');
const N = nArg >= 0 ? Number(args[nArg + 1]) : 100_000;

const lab = await startLabServer();
const session = await launch();
try {
  session.page.on('console', (m) => m.text().startsWith('BREAKDOWN') && console.log(m.text()));
  await session.page.goto(`${lab.url}bench/browser/store.html`);
  await session.page.waitForFunction(() => document.title === 'ready');
  const rows = (await session.page.evaluate(([n]) => (globalThis as any).benchStore(n, 384, 3), [N] as const)) as Record<string, number | string | false>[];
  for (const r of rows) {
    if (JSON_OUT) console.log(JSON.stringify(r));
    else console.log(`${String(r['method']).padEnd(6)} ${String(r['peer'] || 'pagesense').padEnd(10)} n=${r['n']} d=${r['d']} median ${(r['median_ms'] as number).toFixed(0)} ms  ${(r['bytes_per_vector'] as number).toFixed(0)} B/vector on disk`);
  }
  if (!JSON_OUT) {
    const get = (m: string, p: string | false) => rows.find((r) => r['method'] === m && r['peer'] === p)!['median_ms'] as number;
    console.log(`ratios: open ${(get('open', 'naive') / get('open', false)).toFixed(1)}x faster than naive, write ${(get('write', 'naive') / get('write', false)).toFixed(1)}x faster than naive`);
  }
} finally {
  await session.close();
  await lab.server.close();
}
