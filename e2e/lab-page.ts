// Opens one of the test pages (e2e/pages, bench/browser) on the lab server in Chromium,
// once its script has set document.title to 'ready'.
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { launch, type LaunchOptions } from './browser.ts';
import { startLabServer } from './lab-server.ts';

export interface LabPage {
  session: Awaited<ReturnType<typeof launch>>;
  server: ViteDevServer;
  url: string;
  close(): Promise<void>;
}

export async function openLabPage(path: string, options: LaunchOptions = {}): Promise<LabPage> {
  const lab = await startLabServer();
  const session = await launch(options);
  await session.page.goto(`${lab.url}${path}`);
  await session.page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
  return {
    session,
    server: lab.server,
    url: lab.url,
    async close() {
      await session.close();
      await lab.server.close();
    },
  };
}

/**
 * Loads `path` afresh (as a visitor's next page load would: no warm heap, no
 * leftovers), then calls globalThis[namespace][fn](...args) there.
 */
export function freshPageCaller(lab: LabPage, path: string, namespace: string) {
  return async <T>(fn: string, ...args: unknown[]): Promise<T> => {
    const page = lab.session.page;
    await page.goto(`${lab.url}${path}`);
    await page.waitForFunction(() => document.title === 'ready');
    return (await page.evaluate(([ns, f, a]) => (globalThis as any)[ns][f](...(a as unknown[])), [namespace, fn, args] as const)) as T;
  };
}

/** Test files whose every step runs in a freshly loaded copy of one page: the page, and its caller. */
export function useFreshPage(path: string, namespace: string) {
  const ctx = {} as { lab: LabPage; call: ReturnType<typeof freshPageCaller> };
  beforeAll(async () => {
    ctx.lab = await openLabPage(path);
    ctx.call = freshPageCaller(ctx.lab, path, namespace);
  }, 120_000);
  afterAll(async () => ctx.lab?.close());
  return ctx;
}
