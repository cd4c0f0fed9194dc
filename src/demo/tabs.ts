// The three views as an ARIA tablist: arrow keys, Home and End move between tabs
// (WAI-ARIA Authoring Practices, automatic activation); the URL's hash keeps the view.
export function setupTabs(onShow: (view: string) => void): void {
  const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
  const show = (tab: HTMLButtonElement, focus: boolean) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')!)!.hidden = !selected;
    }
    if (focus) tab.focus();
    const view = tab.dataset['view']!;
    history.replaceState(null, '', `#${view}`);
    onShow(view);
  };
  for (const [i, tab] of tabs.entries()) {
    tab.addEventListener('click', () => show(tab, false));
    tab.addEventListener('keydown', (e) => {
      const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
      if (to === null) return;
      e.preventDefault();
      show(tabs[(to + tabs.length) % tabs.length]!, true);
    });
  }
  const initial = tabs.find((t) => `#${t.dataset['view']}` === location.hash) ?? tabs[0]!;
  show(initial, false);
}
