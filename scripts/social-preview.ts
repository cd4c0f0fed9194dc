// Renders public/social-preview.png (1200 x 630, the Open Graph card) in Chromium:
// the name, the tagline and a block-structured similarity matrix like the demo's.
// Run again after changing the look: `npm run social-preview`.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const icon = readFileSync('public/icon.svg', 'utf8');
const html = `<!doctype html><html><head><style>
  body { margin: 0; width: 1200px; height: 630px; display: flex; align-items: center; gap: 56px; padding: 0 72px; box-sizing: border-box;
         background: linear-gradient(135deg, #111114, #1f2250); color: #ececf1; font-family: system-ui, sans-serif; }
  .text { flex: 1; }
  .brand { display: flex; align-items: center; gap: 20px; }
  .brand svg { width: 84px; height: 84px; }
  h1 { font-size: 76px; margin: 0; letter-spacing: -1px; }
  p { font-size: 32px; line-height: 1.35; color: #c9c9d6; margin: 28px 0 0; }
  .tags { margin-top: 32px; font-size: 24px; color: #8d9bff; }
  canvas { width: 420px; height: 420px; border-radius: 12px; image-rendering: pixelated; }
</style></head><body>
  <div class="text"><div class="brand">${icon}<h1>pagesense</h1></div>
  <p>Semantic search that runs entirely inside the web page.</p>
  <div class="tags">hybrid BM25 + BGE · WebGPU / WASM SIMD · offline</div></div>
  <canvas id="m" width="42" height="42"></canvas>
<script>
  const stops = [[68,1,84],[72,40,120],[62,74,137],[49,104,142],[38,130,142],[31,158,137],[53,183,121],[110,206,88],[181,222,43],[253,231,37]];
  const colour = (t) => { const x = Math.max(0, Math.min(1, t)) * (stops.length - 1), i = Math.floor(x), f = x - i, a = stops[i], b = stops[Math.min(stops.length - 1, i + 1)];
    return 'rgb(' + a.map((v, k) => Math.round(v * (1 - f) + b[k] * f)).join(',') + ')'; };
  const n = 42, group = (i) => (i < 16 ? 0 : i < 30 ? 1 : 2);
  let s = 7; const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const ctx = document.getElementById('m').getContext('2d');
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const v = i === j ? 1 : group(i) === group(j) ? 0.72 + rand() * 0.22 : 0.18 + rand() * 0.3;
    ctx.fillStyle = colour(v); ctx.fillRect(i, j, 1, 1); ctx.fillRect(j, i, 1, 1);
  }
</script></body></html>`;

const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
await page.setContent(html);
await page.screenshot({ path: 'public/social-preview.png' });
await browser.close();
console.log('wrote public/social-preview.png');
