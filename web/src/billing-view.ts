import type { AdminToken } from './admin-token.js';
import { ApiError, callApi } from './api.js';
import type { BillingPlan } from './billing-plan.js';
import { byId, element } from './dom.js';
import { t } from './i18n.js';
import { PlanEditor } from './plan-editor.js';
import type { View } from './tabs.js';

/** The billing view: the cached list with its filters and X-Cache, and the editor. */
export function billingView(token: AdminToken): View {
  const filter = byId('billing-filter', HTMLFormElement);
  const user = byId('filter-user', HTMLInputElement);
  const userError = byId('filter-user-error', HTMLParagraphElement);
  const type = byId('filter-type', HTMLSelectElement);
  const count = byId('billing-count', HTMLSpanElement);
  const xCache = byId('billing-x-cache', HTMLSpanElement);
  const listError = byId('billing-error', HTMLSpanElement);
  const table = byId('billing-table', HTMLTableElement);
  const rows = table.tBodies[0];
  const editor = new PlanEditor(token, () => void load());
  let plans: BillingPlan[] = [];

  const load = async (): Promise<void> => {
    const query = new URLSearchParams();
    const userId = user.value.trim();
    const userValid = userId === '' || /^[1-9]\d*$/.test(userId);
    user.setAttribute('aria-invalid', String(!userValid));
    userError.textContent = userValid ? '' : t('billing.userInvalid');
    if (!userValid) return;
    if (userId) query.set('user_id', userId);
    if (type.value) query.set('connection_type', type.value);
    listError.textContent = '';
    table.setAttribute('aria-busy', 'true');
    try {
      // The lists may be kept a few seconds (Cache-Control: public, max-age); the console shows
      // the current one, revalidated by its ETag (a 304 when nothing changed).
      const answer = await callApi<BillingPlan[]>(`/api/plans${query.size ? `?${query.toString()}` : ''}`, {
        cache: 'no-cache',
      });
      plans = answer.body;
      const cache = answer.headers.get('x-cache') ?? '';
      xCache.hidden = cache === '';
      xCache.textContent = `X-Cache: ${cache}`;
      xCache.dataset.cache = cache.toLowerCase();
      count.textContent = t('billing.count', { count: plans.length });
      render();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      listError.textContent = error.message;
    } finally {
      table.setAttribute('aria-busy', 'false');
    }
  };

  const remove = async (plan: BillingPlan): Promise<void> => {
    if (!confirm(t('billing.confirmDelete', { name: plan.name }))) return;
    try {
      await callApi(`/api/plans/${plan.id}`, { method: 'DELETE', token: token.value });
      if (editor.editingId === plan.id) editor.reset();
      await load();
      count.textContent = `${t('billing.deleted', { name: plan.name })} ${count.textContent ?? ''}`;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      listError.textContent = error.message;
    }
  };

  const render = (): void => {
    rows.replaceChildren(...plans.map((plan) => row(plan)));
  };

  const row = (plan: BillingPlan): HTMLTableRowElement => {
    const tr = element('tr');
    const cells = [
      String(plan.id),
      plan.name,
      plan.connection_type,
      `${plan.price} ${plan.currency}`,
      String(plan.duration_days),
      plan.data_limit_mb === null ? '∞' : String(plan.data_limit_mb),
      `${plan.download_kbps} / ${plan.upload_kbps}`,
      String(plan.user_id),
    ];
    tr.append(...cells.map((text) => element('td', text)));
    const actions = element('td', undefined, 'row-actions');
    const edit = element('button', t('billing.edit'));
    edit.type = 'button';
    edit.setAttribute('aria-label', t('billing.editLabel', { name: plan.name }));
    edit.addEventListener('click', () => editor.edit(plan));
    const del = element('button', t('billing.delete'), 'danger');
    del.type = 'button';
    del.setAttribute('aria-label', t('billing.deleteLabel', { name: plan.name }));
    del.addEventListener('click', () => void remove(plan));
    edit.disabled = del.disabled = !token.present;
    actions.append(edit, del);
    tr.append(actions);
    return tr;
  };

  filter.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  token.onChange(render);

  return {
    shown: (visible) => {
      if (visible) void load();
    },
  };
}
