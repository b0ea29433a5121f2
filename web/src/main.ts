import { AdminToken } from './admin-token.js';
import { billingView } from './billing-view.js';
import { cacheView } from './cache-view.js';
import { byId } from './dom.js';
import { translatePage } from './i18n.js';
import { planView } from './plan-view.js';
import { setUpTabs } from './tabs.js';

translatePage();

const token = new AdminToken();
const tokenInput = byId('admin-token', HTMLInputElement);
tokenInput.addEventListener('input', () => token.set(tokenInput.value));
byId('token-form', HTMLFormElement).addEventListener('submit', (event) => event.preventDefault());

const showTokenHints = (present: boolean): void => {
  for (const hint of document.querySelectorAll<HTMLElement>('.needs-token')) hint.hidden = present;
};
token.onChange(showTokenHints);
showTokenHints(false);

setUpTabs({ plan: planView(), billing: billingView(token), cache: cacheView(token) });
