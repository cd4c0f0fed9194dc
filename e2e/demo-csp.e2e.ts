// The demo's production build behind the strictest policy a site would set: the
// script, worker and connect sources limited to the page's origin, no inline style,
// WebAssembly allowed, and Trusted Types enforced. Indexing and search must work on
// the WASM path, and on WebGPU, with no `securitypolicyviolation` at all.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectConsoleErrors, launch } from './browser.ts';
import { addFiles, markdownFile, openDemo, search, waitForCount } from './demo-page.ts';
import { serveStatic } from './static-server.ts';

const TINY = 'pagesense-test/bert-tiny';
export const STRICT_WASM_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; require-trusted-types-for 'script'; trusted-types pagesense";

let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  server = await serveStatic(resolve('site'));
  server.headers['content-security-policy'] = STRICT_WASM_POLICY; // on the page, its workers and every file
});
afterAll(() => server?.close());

describe('the demo under a strict CSP with Trusted Types', () => {
  it.each(['wasm', 'webgpu'] as const)(
    'indexes dropped files and searches them on %s, with no policy violation and no error',
    async (device) => {
      // WebGPU here is SwiftShader's adapter: slow, but it runs onnxruntime's WebGPU build (the asyncify glue) for real.
      const session = await launch({ webgpu: device === 'webgpu' });
      const page = session.page;
      const errors = collectConsoleErrors(page);
      await page.addInitScript(() => {
        (globalThis as any).__violations = [];
        addEventListener('securitypolicyviolation', (e) =>
          (globalThis as any).__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`.trim()),
        );
      });
      await openDemo(page, server.url, TINY, device);
      await addFiles(page, [markdownFile('harbor.md', 12)]);
      await waitForCount(page, 12);
      const hits = await search(page, 'lantern and meadow');
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.every((h) => Number.isFinite(h.score))).toBe(true);
      // The model ran (hybrid, embeddings made in the page), not the lexical fallback.
      expect(await page.evaluate(() => (globalThis as any).pagesenseDemo.mode)).toBe('hybrid');
      expect(await page.evaluate(() => (globalThis as any).pagesenseDemo.passagesEmbedded)).toBeGreaterThanOrEqual(12);
      expect(await page.evaluate(() => (globalThis as any).__violations)).toEqual([]);
      await page.click('#tab-engine');
      expect(await page.textContent('#engine-facts')).toContain(`Device${device}:`);
      expect(errors).toEqual([]);
      await session.close();
    },
    180_000,
  );
});
