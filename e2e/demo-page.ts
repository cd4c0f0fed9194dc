// Helpers that drive the demo page the way a person would.
import type { Page } from 'playwright-core';

export async function openDemo(page: Page, baseUrl: string, model: string, device: 'wasm' | 'webgpu' = 'wasm'): Promise<void> {
  await page.goto(`${baseUrl}?model=${encodeURIComponent(model)}&device=${device}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 }).catch(async (err) => {
    throw new Error(`demo not ready: ${await page.locator('#error').textContent()} ${err}`);
  });
}

/** Chooses files, looks at the passage preview, and starts indexing them. */
export async function addFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await page.setInputFiles('#file-input', files);
  await page.waitForSelector('#preview:not([hidden])');
  await page.click('#index-preview');
}

export async function indexedCount(page: Page): Promise<number> {
  const text = (await page.textContent('#index-status')) ?? '';
  const m = /^(\d+) passages indexed/.exec(text);
  return m ? Number(m[1]) : -1;
}

export async function waitForCount(page: Page, n: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction((want) => new RegExp(`^${want} passages indexed`).test(document.querySelector('#index-status')?.textContent ?? ''), n, {
    timeout,
  });
}

export async function search(page: Page, query: string): Promise<{ id: string | undefined; score: number }[]> {
  const before = await page.evaluate(() => (globalThis as any).pagesenseDemo.searchesRendered as number);
  await page.fill('#query', query);
  // A refresh of the previous query (rows landed) may render first: wait for this query's results.
  await page.waitForFunction(
    ([n, q]) => (globalThis as any).pagesenseDemo.searchesRendered > n && (globalThis as any).pagesenseDemo.renderedQuery === q,
    [before, query] as const,
    {
      timeout: 30_000,
    },
  );
  return page.$$eval('#results li', (lis) =>
    lis.map((li) => ({ id: (li as HTMLElement).dataset['id'], score: Number(li.querySelector('.hit-score')?.textContent) })),
  );
}

/** A Markdown file of `sections` short heading-scoped passages. */
export function markdownFile(name: string, sections: number): { name: string; mimeType: string; buffer: Buffer } {
  const words = ['river', 'lantern', 'copper', 'meadow', 'signal', 'harbor', 'violet', 'engine', 'glacier', 'orchard', 'pepper', 'marble'];
  const body = Array.from(
    { length: sections },
    (_, i) =>
      `## Section ${i}\n\nThe ${words[i % 12]} and the ${words[(i * 5 + 3) % 12]} meet near marker ${i}, where ${words[(i * 7 + 1) % 12]} stories are told.`,
  ).join('\n\n');
  return { name, mimeType: 'text/markdown', buffer: Buffer.from(`# ${name}\n\n${body}\n`) };
}
