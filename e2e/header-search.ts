// Drives <pagesense-search> in a real site's header the way a visitor would, at a
// desktop and a phone width, light and dark: types a query, then reads what the page
// and the element look like with results open (layout, panel bounds, what the reader
// sees), saves a screenshot and runs axe-core on the element.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { ARTIFACTS, collectConsoleErrors } from './browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface HeaderView {
  width: number;
  scheme: 'light' | 'dark';
  /** The header's box before and after the results opened. */
  headerBefore: unknown;
  headerAfter: unknown;
  panel: { left: number; right: number; top: number };
  pageWidth: number;
  status: string;
  text: string;
  links: string[];
  /** Image URLs that loaded ("not loaded: …" for those that did not). */
  images: string[];
  /** axe-core's violations on the element: id, impact, nodes. */
  axe: { id: string; impact: string; nodes: number }[];
  errors: string[];
  screenshot: string;
}

/** `selector` picks the element, `header` the site's header; `name` prefixes the screenshots. */
export async function headerViews(context: BrowserContext, url: string, selector: string, header: string, name: string, query: string): Promise<HeaderView[]> {
  const views: HeaderView[] = [];
  for (const width of [1280, 390]) {
    for (const scheme of ['light', 'dark'] as const) {
      const p = await context.newPage();
      const errors = collectConsoleErrors(p);
      try {
        await p.setViewportSize({ width, height: 800 });
        await p.emulateMedia({ colorScheme: scheme });
        await p.goto(url);
        await p.waitForFunction(() => customElements.get('pagesense-search') !== undefined);
        const headerBefore = await p.locator(header).first().boundingBox();
        // On a phone the box is a search icon in the header that opens the modal, focus in its box.
        if (width < 640) await p.locator(`${selector} button.open`).click();
        else await p.locator(`${selector} input`).click();
        await p.keyboard.type(query, { delay: 30 });
        await p.waitForFunction((s) => (document.querySelector(s) as any).results?.pages.length > 0, selector);
        await p.waitForTimeout(300); // images decode
        const headerAfter = await p.locator(header).first().boundingBox();
        const seen = await p.evaluate((s) => {
          const el = document.querySelector(s)!;
          const r = el.shadowRoot!.querySelector('.panel')!.getBoundingClientRect();
          return {
            panel: { left: r.left, right: r.right, top: r.top },
            pageWidth: document.documentElement.scrollWidth,
            status: el.shadowRoot!.querySelector('.status')!.textContent ?? '',
            text: el.shadowRoot!.querySelector('.results')!.textContent ?? '',
            links: Array.from(el.shadowRoot!.querySelectorAll('a')).map((a) => a.href),
            images: Array.from(el.shadowRoot!.querySelectorAll('img')).map((i) => (i.complete && i.naturalWidth > 0 ? i.src : `not loaded: ${i.src}`)),
          };
        }, selector);
        mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
        const screenshot = join(ARTIFACTS, 'screenshots', `${name}-${width}-${scheme}.png`);
        await p.screenshot({ path: screenshot });
        await p.addScriptTag({ content: axeSource });
        const axe = await p.evaluate(async (s) => {
          const r = await (globalThis as any).axe.run({ include: [[s]] }, { resultTypes: ['violations'] });
          return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
        }, selector);
        views.push({ width, scheme, headerBefore, headerAfter, ...seen, axe, errors: [...errors], screenshot });
      } finally {
        await p.close();
      }
    }
  }
  return views;
}
