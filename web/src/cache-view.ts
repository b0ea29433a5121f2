import type { AdminToken } from './admin-token.js';
import { ApiError, callApi } from './api.js';
import { byId, element, formatClock } from './dom.js';
import { HitChart } from './hit-chart.js';
import { t } from './i18n.js';
import type { components } from './generated/api.js';
import type { View } from './tabs.js';

const REFRESH_MS = 3000;

/** `GET /api/plan-cache/stats` (generated from the OpenAPI document). */
type CacheStats = components['schemas']['PlanCacheStatsDto'];
type NamespaceStats = components['schemas']['NamespaceStatsDto'];

/** The cache view: statistics refreshed every few seconds while shown, a hit/miss chart, clearing. */
export function cacheView(token: AdminToken): View {
  const status = byId('stats-status', HTMLParagraphElement);
  const error = byId('stats-error', HTMLParagraphElement);
  const refresh = byId('stats-refresh', HTMLButtonElement);
  const rows = byId('namespaces-table', HTMLTableElement).tBodies[0];
  const chartSvg = document.getElementById('hit-chart') as unknown as SVGSVGElement;
  const chart = new HitChart(chartSvg);
  const clearOne = byId('clear-one', HTMLFormElement);
  const clearResult = byId('clear-result', HTMLParagraphElement);
  const clearButtons = [...document.querySelectorAll<HTMLButtonElement>('[data-clear]')];
  let visible = false;
  let timer: number | undefined;

  const show = (id: string, text: string): void => {
    byId(id, HTMLElement).textContent = text;
  };

  const load = async (): Promise<void> => {
    if (!token.present) return;
    try {
      const { body: stats } = await callApi<CacheStats>('/api/plan-cache/stats', { token: token.value });
      error.textContent = '';
      show('stat-hit-ratio', percent(stats.hit_ratio));
      show('stat-hits', String(stats.hits));
      show('stat-misses', String(stats.misses));
      show('stat-local', `${stats.local_cache_size} / ${stats.local_max_size}`);
      show('stat-redis', redisState(stats));
      show('stat-saved-tokens', String(stats.savings.input_tokens + stats.savings.output_tokens));
      show('stat-saved-time', t('cache.seconds', { seconds: stats.savings.generation_seconds.toFixed(1) }));
      show('stat-saved-cost', stats.savings.cost.toFixed(3));
      rows.replaceChildren(...Object.entries(stats.namespaces).map(([name, counters]) => namespaceRow(name, counters)));
      const sample = chart.addTotals({ hits: stats.hits, misses: stats.misses });
      if (sample) show('chart-summary', t('cache.chartSummary', { ...sample }));
      status.textContent = t('cache.updated', { time: formatClock(new Date()), seconds: REFRESH_MS / 1000 });
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      error.textContent = failure.message;
    }
  };

  const schedule = (): void => {
    window.clearInterval(timer);
    timer = undefined;
    refresh.disabled = !token.present;
    for (const button of clearButtons) button.disabled = !token.present;
    if (!visible || !token.present) return;
    void load();
    timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
  };

  /** What to clear goes in a JSON body: a goal and its project context stay out of URLs and access logs. */
  const clear = async (what: { namespace?: string; goal?: string; project_context?: string }): Promise<void> => {
    try {
      const { body } = await callApi<{ cleared: number }>('/api/plan-cache/clear', {
        method: 'POST',
        token: token.value,
        body: what,
      });
      clearResult.textContent = t('cache.cleared', { count: body.cleared });
      await load();
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      clearResult.textContent = failure.message;
    }
  };

  for (const button of clearButtons) {
    button.addEventListener('click', () => {
      const namespace = button.dataset.clear ?? '';
      if (namespace === '' && !confirm(t('cache.confirmClearAll'))) return;
      void clear(namespace ? { namespace } : {});
    });
  }
  clearOne.addEventListener('submit', (event) => {
    event.preventDefault();
    const context = byId('clear-context', HTMLInputElement).value;
    void clear({ goal: byId('clear-goal', HTMLInputElement).value, ...(context ? { project_context: context } : {}) });
  });
  refresh.addEventListener('click', () => void load());
  token.onChange(schedule);

  return {
    shown: (isVisible) => {
      visible = isVisible;
      schedule();
    },
  };
}

function namespaceRow(name: string, c: NamespaceStats): HTMLTableRowElement {
  const tr = element('tr');
  const header = element('th', name);
  header.scope = 'row';
  tr.append(header);
  const cells = [
    `${c.local_cache_size} / ${c.local_max_size}`,
    String(c.hits),
    String(c.misses),
    percent(c.hit_ratio),
    `${c.l1_hits} / ${c.l2_hits}`,
    String(c.stale_hits),
    String(c.sets),
    String(c.evictions),
    c.redis_cache_size === null ? '—' : String(c.redis_cache_size),
  ];
  tr.append(...cells.map((text) => element('td', text)));
  return tr;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

function redisState(stats: CacheStats): string {
  if (!stats.redis_enabled) return t('cache.redisOff');
  if (stats.redis_connected) return t('cache.redisUp', { size: stats.redis_cache_size ?? '?' });
  return t('cache.redisDown', { breaker: stats.redis_breaker ?? '?' });
}
