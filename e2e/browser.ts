// Launches Debian's Chromium through playwright-core with a fresh profile per test.
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export const ARTIFACTS = join(process.cwd(), 'test-results');

export interface LaunchOptions {
  webgpu?: boolean;
  /** Reuse a profile directory (to test what survives a browser restart). */
  profileDir?: string;
  /** More Chromium switches. */
  args?: string[];
}

export async function launch(options: LaunchOptions = {}): Promise<{ context: BrowserContext; page: Page; profileDir: string; close(): Promise<void> }> {
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'pagesense-e2e-'));
  const args = [
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(options.webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-gpu']),
    ...(options.args ?? []),
  ];
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args,
    viewport: { width: 1000, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    profileDir,
    async close() {
      await context.close();
      if (!options.profileDir) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Records every request that leaves the page's origin; the product must send none. */
export function watchForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.context().on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  return foreign;
}

export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** The page's newest worker whose script URL contains `urlPart`, once it exists. */
export async function waitForWorker(page: Page, urlPart: string, timeoutMs = 10_000): Promise<Worker> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = page.workers().filter((w) => w.url().includes(urlPart));
    if (found.length) return found.at(-1)!;
    if (Date.now() > deadline) throw new Error(`no worker whose URL contains "${urlPart}" started within ${timeoutMs} ms`);
    await page.waitForTimeout(50);
  }
}
