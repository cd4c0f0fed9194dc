// Light and dark themes: the system's choice unless the reader picks one, remembered
// in localStorage. The CSS reads html[data-theme]; no attribute means "follow the system".
import { byId } from './elements.ts';

type Choice = 'system' | 'light' | 'dark';
const KEY = 'pagesense-demo-theme';
const NEXT: Record<Choice, Choice> = { system: 'light', light: 'dark', dark: 'system' };

function read(): Choice {
  const saved = localStorage.getItem(KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

function apply(choice: Choice): void {
  if (choice === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = choice;
  const button = byId('theme-toggle');
  button.textContent = choice === 'system' ? 'Theme: system' : choice === 'light' ? 'Theme: light' : 'Theme: dark';
  button.setAttribute('aria-label', `Colour theme: ${choice}. Press to change.`);
}

/** The colours the canvas views draw with, as the current theme defines them. */
export function themeColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export function setupTheme(onChange: () => void): void {
  apply(read());
  byId('theme-toggle').addEventListener('click', () => {
    const next = NEXT[read()];
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
    apply(next);
    onChange();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', onChange);
}
