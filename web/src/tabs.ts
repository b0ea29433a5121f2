export interface View {
  /** Called when the view is shown, and when it is hidden. */
  shown(visible: boolean): void;
}

/**
 * The WAI-ARIA tabs pattern: one tab in the tab order, arrow keys, Home and End move between
 * tabs, and the address's fragment (#plan, #billing, #cache) names the view.
 */
export function setUpTabs(views: Record<string, View>): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const names = tabs.map((tab) => tab.dataset.view ?? '');

  const select = (name: string, focus: boolean): void => {
    const chosen = names.includes(name) ? name : names[0];
    for (const tab of tabs) {
      const active = tab.dataset.view === chosen;
      tab.setAttribute('aria-selected', String(active));
      tab.tabIndex = active ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !active;
      if (active && focus) tab.focus();
    }
    for (const [viewName, view] of Object.entries(views)) view.shown(viewName === chosen);
    if (location.hash !== `#${chosen}`) history.replaceState(null, '', `#${chosen}`);
  };

  tabs.forEach((tab, index) => {
    tab.addEventListener('click', () => select(names[index], false));
    tab.addEventListener('keydown', (event) => {
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select(names[(next + tabs.length) % tabs.length], true);
    });
  });
  window.addEventListener('hashchange', () => select(location.hash.slice(1), false));
  select(location.hash.slice(1), false);
}
