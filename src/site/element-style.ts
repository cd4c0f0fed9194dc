// <pagesense-search>'s stylesheet (adopted as a constructed sheet: a strict CSP's
// style-src 'self' allows it). The panel takes the page's system colours (Canvas and
// CanvasText, which follow its color-scheme) unless the site sets the custom
// properties; the muted text is the text colour at 78% over the background and the
// marks are dark on yellow, so both stay above WCAG AA's 4.5:1 in light and dark.
export const ELEMENT_STYLE = `
:host { display: inline-block; position: relative; font: inherit; width: 14em; max-width: 100%; min-width: 0; flex: 0 1 auto; vertical-align: middle;
  --_accent: var(--pagesense-accent, #3548c8); --_bg: var(--pagesense-bg, Canvas); --_text: var(--pagesense-text, CanvasText);
  --_muted: var(--pagesense-muted, color-mix(in srgb, var(--_text) 78%, var(--_bg)));
  --_border: var(--pagesense-border, color-mix(in srgb, var(--_text) 22%, var(--_bg)));
  --_mark-bg: var(--pagesense-mark, #ffe066); --_mark-text: var(--pagesense-mark-text, #1a1a1a); }
@media (max-width: 640px) { :host(:not([layout])), :host([layout='dropdown']) { width: auto; } }
:host([layout='inline']) { display: block; width: auto; }
:host([hidden]) { display: none; }
input { box-sizing: border-box; width: 100%; font: inherit; padding: 0.45em 0.7em; border: 1px solid var(--_border); border-radius: 8px;
  background: var(--_bg); color: var(--_text); }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
.panel, dialog { white-space: normal; text-align: start; letter-spacing: normal; line-height: 1.45; }
.panel { box-sizing: border-box; margin: 0; padding: 0; border: 1px solid var(--_border); border-radius: 10px; background: var(--_bg); color: var(--_text);
  box-shadow: 0 10px 30px rgb(0 0 0 / 0.18); overflow: auto; max-height: min(70vh, 36rem); inset: auto; }
.panel[hidden] { display: none; }
.panel.floating { position: fixed; z-index: 2147483000; }
.panel.absolute { position: absolute; top: calc(100% + 4px); left: 0; width: min(36rem, 90vw); z-index: 2147483000; }
:host([layout='inline']) .panel, dialog .panel { position: static; box-shadow: none; max-height: none; margin-top: 0.5em; }
.status { font-size: 0.85em; color: var(--_muted); padding: 0.5em 0.8em; }
.status:empty { display: none; }
.progress { height: 2px; background: transparent; overflow: hidden; }
.progress span { display: block; height: 100%; width: 0; background: var(--_accent); transition: width 0.3s ease; }
ul { list-style: none; margin: 0; padding: 0; }
.results:empty { display: none; }
.page { padding: 0.35em 0.5em; border-top: 1px solid var(--_border); }
.page:first-child { border-top: 0; }
a { color: inherit; text-decoration: none; display: block; border-radius: 6px; padding: 0.3em 0.45em; }
a.page-link { font-weight: 600; display: flex; align-items: center; gap: 0.6em; }
.meta { display: block; font-size: 0.8em; color: var(--_muted); padding: 0 0.45em 0.2em; }
.thumb { width: 2.6em; height: 2.6em; object-fit: cover; border-radius: 4px; flex: none; }
a[aria-selected='true'], a:hover { background: color-mix(in srgb, var(--_accent) 13%, var(--_bg)); }
.sub { margin-left: 0.7em; }
.heading { display: block; font-size: 0.92em; }
.excerpt { display: block; font-size: 0.85em; color: var(--_muted); line-height: 1.4; }
mark { background: var(--_mark-bg); color: var(--_mark-text); border-radius: 2px; }
.side { font-size: 0.75em; color: var(--_muted); margin-left: 0.4em; }
.more { display: block; margin: 0.3em auto 0.6em; font: inherit; font-size: 0.9em; padding: 0.3em 0.9em; border-radius: 6px;
  border: 1px solid var(--_border); background: var(--_bg); color: var(--_text); cursor: pointer; }
.more[hidden] { display: none; }
.open { display: inline-flex; align-items: center; gap: 0.6em; font: inherit; padding: 0.4em 0.7em; border-radius: 8px; cursor: pointer;
  border: 1px solid var(--_border); background: var(--_bg); color: var(--_muted); width: 100%; box-sizing: border-box; }
.glass { width: 1.1em; height: 1.1em; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; flex: none; }
.open.icon { width: auto; border-color: transparent; padding: 0.4em; }
.open.icon .label, .open.icon kbd { display: none; }
:host(:not([layout])) .open.icon, :host([layout='dropdown']) .open.icon { color: var(--_text); }
kbd { font: inherit; font-size: 0.8em; border: 1px solid var(--_border); border-radius: 4px; padding: 0 0.35em; margin-left: auto; }
dialog { box-sizing: border-box; width: min(40rem, calc(100vw - 1rem)); max-height: calc(100vh - 4rem); margin: 2rem auto auto; padding: 0.8em;
  border: 1px solid var(--_border); border-radius: 12px; background: var(--_bg); color: var(--_text); }
dialog::backdrop { background: rgb(0 0 0 / 0.45); }
.bar { display: flex; gap: 0.5em; }
.close { font: inherit; border: 1px solid var(--_border); background: var(--_bg); color: var(--_text); border-radius: 8px; padding: 0 0.7em; cursor: pointer; }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;
