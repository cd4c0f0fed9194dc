// Where model files come from, in order: the site's own files, the browser cache,
// then the Hub (here a stand-in for the Hub that the test serves through the browser).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS_ROOT } from '../scripts/forge/forge.ts';
import { openLabPage, type LabPage } from './lab-page.ts';

// A model unknown to the registry, so it is fetched like any Hub model (the tiny generated files behind it).
const SPEC = {
  id: 'test-org/hub-model',
  dimension: 32,
  pooling: 'cls',
  normalize: true,
  maxTokens: 512,
  queryInstruction: '',
  dtype: { wasm: 'fp32', webgpu: 'fp32' },
  generated: false,
  description: 'served by the test',
};
const TINY_DIR = join(MODELS_ROOT, 'pagesense-test', 'bert-tiny');

describe('model sources', () => {
  let lab: LabPage;
  let origin = '';
  const hubHits: string[] = [];
  const loadFrom = (local: string) =>
    lab.session.page.evaluate(([s, l, r]) => (globalThis as any).embedCheck.loadFrom(s, l, r), [SPEC, local, `${origin}/hub-mirror/`] as const) as Promise<{
      ok: boolean;
      code?: string;
      message?: string;
      length?: number;
    }>;

  beforeAll(async () => {
    lab = await openLabPage('e2e/pages/embed.html');
    origin = new URL(lab.url).origin;
  });
  afterAll(() => lab?.close());

  const serveHub = () =>
    lab.session.context.route('**/hub-mirror/**', async (route) => {
      const m = /\/hub-mirror\/test-org\/hub-model\/resolve\/main\/(.+)$/.exec(new URL(route.request().url()).pathname);
      const file = m ? join(TINY_DIR, m[1]!) : '';
      hubHits.push(route.request().url());
      if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({
        status: 200,
        body: readFileSync(file),
        headers: { 'content-type': 'application/octet-stream', 'cross-origin-resource-policy': 'same-origin' },
      });
    });

  it('falls back to the Hub when the site does not host the model, and caches what it fetched', async () => {
    await serveHub();
    const r = await loadFrom('/not-hosted-here/');
    expect(r).toMatchObject({ ok: true, length: 32 });
    expect(hubHits.some((u) => u.endsWith('onnx/model.onnx'))).toBe(true);
  });

  it('loads from the browser cache when neither the site nor the Hub answers', async () => {
    await lab.session.context.unroute('**/hub-mirror/**');
    await lab.session.context.route('**/hub-mirror/**', (route) => route.abort('internetdisconnected'));
    const r = await loadFrom('/not-hosted-here/');
    expect(r).toMatchObject({ ok: true, length: 32 });
  });

  it('when no source has the model, says which places it tried and how to fix it', async () => {
    await lab.session.page.evaluate(async () => {
      for (const k of await caches.keys()) await caches.delete(k);
    });
    const r = await loadFrom('/not-hosted-here/');
    expect(r.ok).toBe(false);
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(r.message).toContain('/not-hosted-here/test-org/hub-model/');
    expect(r.message).toContain('browser cache');
    expect(r.message).toContain('hub-mirror');
    expect(r.message).toContain('npx pagesense fetch-model test-org/hub-model');
  });
});
