// The Chromium WASM part of bench:embed (1 thread and all threads), in a fresh worker per thread count.
import { launch } from '../e2e/browser.ts';
import { startLabServer } from '../e2e/lab-server.ts';

export async function runBrowser(emit: (r: Record<string, unknown>) => void, texts: string[], model: string, query: string): Promise<void> {
  const lab = await startLabServer();
  const session = await launch();
  try {
    await session.page.goto(`${lab.url}bench/browser/embed.html`);
    await session.page.waitForFunction(() => document.title === 'ready');
    const all = await session.page.evaluate(() => navigator.hardwareConcurrency);
    for (const threads of [...new Set([1, all])]) {
      const rows = (await session.page.evaluate(([t, m, th, q]) => (globalThis as any).makeBench().run(m, t, th, [8, 32], q), [
        texts,
        model,
        threads,
        query,
      ] as const)) as Record<string, unknown>[];
      for (const r of rows) emit({ ...r, env: 'chromium-wasm' });
    }
  } finally {
    await session.close();
    await lab.server.close();
  }
}
