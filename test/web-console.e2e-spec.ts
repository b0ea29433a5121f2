import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { openPage, screenshot, useBrowser, type PageProblems } from './support/browser.js';
import { describeWith, CHROMIUM } from './support/services.js';
import { ADMIN_TOKEN, bearer, useTestApp } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';

/** Accessibility rules checked on every view: WCAG 2.1 A and AA. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** After a click that loads the billing list: waits for the list to be shown. */
const listLoaded = (page: Page) => page.waitForSelector('#billing-table[aria-busy="false"]');

const text = async (page: Page, selector: string) => (await page.textContent(selector))?.trim() ?? '';

/** Waits until the element's text satisfies the check (state, not timing). */
async function waitForText(page: Page, selector: string, check: (value: string) => boolean, what: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await text(page, selector);
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: ${selector} still says "${value}"`);
    await page.waitForTimeout(50);
  }
}

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual(
    [],
  );
}

describeWith(CHROMIUM)('The web console in Chromium', () => {
  const app = useTestApp({
    PLAN_CACHE_MIN_GEN_TIME: '0',
    PLANNER_BUILTIN_DELAY_MS: '200',
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
    // The console calls anonymously: its "not what I asked" needs anonymous reports opened.
    SEMANTIC_FEEDBACK_ANONYMOUS: 'true',
  });
  const browser = useBrowser();
  let page: Page;
  let problems: PageProblems;

  beforeEach(async () => {
    ({ page, problems } = await openPage(browser(), { locale: 'en-US' }));
  });

  afterEach(async () => {
    await page.context().close();
  });

  const enterToken = (token = ADMIN_TOKEN) => page.fill('#admin-token', token);

  it('streams a plan, then the same plan from the cache, and regenerates it on request', async () => {
    const requests: { method: string; url: string }[] = [];
    page.on('request', (request) => requests.push({ method: request.method(), url: request.url() }));
    await page.goto(`${app().url}/#plan`);
    await page.fill('#goal', 'Launch a hotspot billing API');
    await page.fill('#project-context', 'NestJS, two developers');
    await page.click('#plan-form button[type=submit]');
    await waitForText(page, '#plan-source', (v) => v === 'Generator', 'the first plan is generated');
    expect(await text(page, '#plan-step')).toBe('Generating plan');
    expect(await text(page, '#plan-text')).toMatch(/^Plan: Launch a hotspot billing API\n\n1\. Clarify the goal/);
    expect(await text(page, '#plan-time')).toMatch(/^\d+ ms in all, generation \d+ ms$/);
    const key = await text(page, '#plan-key');
    expect(key).toMatch(/^plan:[0-9a-f]{16}$/);

    await page.click('#plan-form button[type=submit]');
    await waitForText(page, '#plan-step', (v) => v === 'Plan from cache', 'the second answer comes from the cache');
    await waitForText(page, '#plan-source', (v) => v === 'L1 (this process)', 'the source is shown');
    expect(await text(page, '#plan-time')).toMatch(/^\d+ ms in all$/);
    expect(await text(page, '#plan-key')).toBe(key);
    expect(await page.getAttribute('#plan-text', 'aria-busy')).toBe('false');
    await screenshot(page, 'console-plan');
    await expectAccessible(page);

    await page.click('#plan-regenerate');
    await waitForText(page, '#plan-source', (v) => v === 'Generator', 'regenerating bypasses the cache');
    expect(await text(page, '#plan-step')).toBe('Generating plan');
    // The goal and the private project context never travel in a URL.
    const streams = requests.filter(({ url }) => url.includes('/api/chat/stream'));
    expect(streams.map(({ method, url }) => `${method} ${new URL(url).pathname}${new URL(url).search}`)).toEqual([
      'POST /api/chat/stream',
      'POST /api/chat/stream',
      'POST /api/chat/stream',
    ]);
    expect(requests.some(({ url }) => url.includes('hotspot') || url.includes('developers'))).toBe(false);
    expect(problems.errors).toEqual([]);
  });

  it('shows a plan of a similar goal as such, and reports it as not what was asked', async () => {
    await page.goto(`${app().url}/#plan`);
    await page.fill('#goal', 'Plan the billing console rollout');
    await page.click('#plan-form button[type=submit]');
    await waitForText(page, '#plan-source', (v) => v === 'Generator', 'the first plan is generated');
    expect(await page.isVisible('#plan-wrong')).toBe(false);

    await page.fill('#goal', 'please plan my billing console rollout');
    await page.click('#plan-form button[type=submit]');
    await waitForText(page, '#plan-step', (v) => v === 'Plan from a similar goal', 'a similar goal’s plan is served');
    expect(await text(page, '#plan-source')).toBe(
      'Cache, plan of a similar goal: “plan the billing console rollout” (1.00)',
    );
    await expectAccessible(page);
    await page.click('#plan-wrong');
    await waitForText(page, '#plan-feedback', (v) => v.startsWith('Thank you'), 'the report is acknowledged');

    // One report is one voice: the threshold rises only once three callers agree.
    await page.click('#plan-form button[type=submit]');
    await waitForText(page, '#plan-step', (v) => v === 'Plan from a similar goal', 'one report switches nothing off');
    expect(await page.isVisible('#plan-wrong')).toBe(true);
    expect(problems.errors).toEqual([]);
  });

  it('speaks Russian, step labels included, when the browser prefers it', async () => {
    const russian = await openPage(browser(), { locale: 'ru-RU' });
    try {
      await russian.page.goto(`${app().url}/#plan`);
      expect(await russian.page.title()).toBe('Консоль кэша планов');
      expect(await russian.page.getAttribute('html', 'lang')).toBe('ru');
      await russian.page.fill('#goal', 'Запустить биллинг');
      await russian.page.click('#plan-form button[type=submit]');
      await waitForText(russian.page, '#plan-source', (v) => v === 'Генератор', 'a plan is generated');
      await russian.page.click('#plan-form button[type=submit]');
      await waitForText(russian.page, '#plan-step', (v) => v === 'План из кэша', 'the cache label is Russian');
      expect(russian.problems.errors).toEqual([]);
    } finally {
      await russian.context.close();
    }
    expect(problems.errors).toEqual([]);
  });

  it('asks for a goal in the form instead of sending an empty one', async () => {
    await page.goto(`${app().url}/#plan`);
    await page.fill('#goal', '   ');
    await page.click('#plan-form button[type=submit]');
    expect(await page.$eval('#goal', (el) => (el as unknown as { validationMessage: string }).validationMessage)).toBe(
      'Enter a goal.',
    );
    expect(await page.isHidden('#plan-result')).toBe(true);
  });

  it('lists billing plans with their X-Cache, filtered by connection type and user', async () => {
    await page.goto(`${app().url}/#billing`);
    await waitForText(page, '#billing-count', (v) => /^\d+ plans$/.test(v), 'the list is shown');
    expect(await page.locator('#billing-table tbody tr').count()).toBeGreaterThanOrEqual(5);
    expect(await text(page, '#billing-x-cache')).toMatch(/^X-Cache: (HIT|MISS)$/);

    await page.selectOption('#filter-type', 'pppoe');
    await page.click('#billing-filter button[type=submit]');
    await listLoaded(page);
    const types = await page.locator('#billing-table tbody tr td:nth-child(3)').allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['pppoe']));

    await page.click('#billing-filter button[type=submit]');
    await listLoaded(page);
    expect(await text(page, '#billing-x-cache')).toBe('X-Cache: HIT');

    await page.fill('#filter-user', 'abc');
    await page.click('#billing-filter button[type=submit]');
    expect(await text(page, '#filter-user-error')).toBe('The user id must be a positive integer.');
    expect(await page.getAttribute('#filter-user', 'aria-invalid')).toBe('true');
    await page.fill('#filter-user', '1');
    await page.selectOption('#filter-type', '');
    await page.click('#billing-filter button[type=submit]');
    await listLoaded(page);
    expect(await text(page, '#filter-user-error')).toBe('');
    const users = await page.locator('#billing-table tbody tr td:nth-child(8)').allTextContents();
    expect(new Set(users)).toEqual(new Set(['1']));
    expect(problems.errors).toEqual([]);
  });

  it('creates, edits and deletes a plan with the admin token, the API messages beside the fields', async () => {
    await page.goto(`${app().url}/#billing`);
    await waitForText(page, '#billing-count', (v) => v !== '', 'the list is shown');
    expect(await page.isDisabled('#editor-save')).toBe(true);
    expect(await page.isVisible('#plan-editor .needs-token')).toBe(true);

    await enterToken();
    expect(await page.isEnabled('#editor-save')).toBe(true);
    await page.fill('#edit-name', 'Console Week');
    await page.selectOption('#edit-connection_type', 'dhcp');
    await page.fill('#edit-price', 'abc');
    await page.fill('#edit-currency', 'usd');
    await page.fill('#edit-duration_days', '7');
    await page.fill('#edit-download_kbps', '8000');
    await page.fill('#edit-upload_kbps', '2000');
    await page.fill('#edit-user_id', '42');
    await page.click('#editor-save');
    await waitForText(page, '#edit-price-error', (v) => v !== '', 'the price message is shown');
    expect(await text(page, '#edit-price-error')).toMatch(/^price must be a non-negative decimal/);
    expect(await text(page, '#edit-currency-error')).toBe(
      'currency must be a three-letter ISO 4217 code such as "USD"',
    );
    expect(await page.getAttribute('#edit-price', 'aria-invalid')).toBe('true');
    expect(await page.inputValue('#edit-name')).toBe('Console Week');
    await screenshot(page, 'console-billing');
    await expectAccessible(page);

    await page.fill('#edit-price', '4.50');
    await page.fill('#edit-currency', 'EUR');
    await page.click('#editor-save');
    const created = await waitForText(
      page,
      '#editor-status',
      (v) => v.startsWith('Plan "Console Week" created'),
      'saved',
    );
    const id = Number(/id (\d+)/.exec(created)?.[1]);
    expect(await page.getAttribute('#edit-price', 'aria-invalid')).toBeNull();
    await waitForText(page, '#billing-table tbody', (v) => v.includes('Console Week'), 'the new plan is listed');
    const { body: stored } = await app().http.get(`/api/plans/${id}`).expect(200);
    expect(stored).toMatchObject({ name: 'Console Week', price: '4.50', currency: 'EUR', data_limit_mb: null });

    await page.click(`button[aria-label="Edit plan Console Week"]`);
    expect(await text(page, '#editor-title')).toBe(`Edit plan ${id}`);
    await page.fill('#edit-name', 'Console Fortnight');
    await page.fill('#edit-duration_days', '14');
    await page.click('#editor-save');
    await waitForText(page, '#editor-status', (v) => v === 'Plan "Console Fortnight" saved.', 'updated');
    await waitForText(page, '#billing-table tbody', (v) => v.includes('Console Fortnight'), 'the change is listed');
    expect((await app().http.get(`/api/plans/${id}`).expect(200)).body).toMatchObject({ duration_days: 14 });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click(`button[aria-label="Delete plan Console Fortnight"]`);
    await waitForText(page, '#billing-table tbody', (v) => !v.includes('Console Fortnight'), 'the plan is gone');
    await app().http.get(`/api/plans/${id}`).expect(404);

    // The 400 the test provoked is the only thing Chromium logged.
    expect(problems.errors).toEqual([
      expect.stringMatching(/^console: Failed to load resource: the server responded with a status of 400/),
    ]);
  });

  it('keeps the admin token in memory only: a reload forgets it', async () => {
    await page.goto(`${app().url}/#billing`);
    await enterToken();
    const stored = await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]');
    expect(stored).toEqual([0, 0, '']);
    await page.reload();
    expect(await page.inputValue('#admin-token')).toBe('');
    expect(await page.isDisabled('#editor-save')).toBe(true);
  });

  it('shows cache statistics that change with traffic, a chart, and clears the cache', async () => {
    await page.goto(`${app().url}/#cache`);
    expect(await page.isVisible('#view-cache .needs-token')).toBe(true);
    await enterToken();
    const before = Number(await waitForText(page, '#stat-hits', (v) => /^\d+$/.test(v), 'the stats are shown'));
    let expected = before;
    for (const requests of [3, 6, 2]) {
      for (let i = 0; i < requests; i++) await app().http.get('/api/plans').expect(200);
      await app()
        .http.get(`/api/plans?user_id=${1000 + requests}`)
        .expect(200); // a list not cached yet: a miss
      expected += requests;
      await page.click('#stats-refresh');
      await waitForText(page, '#stat-hits', (v) => Number(v) >= expected, 'the hits grow with traffic');
    }
    await waitForText(page, '#chart-summary', (v) => /^Last refresh: \d+ hits, \d+ misses$/.test(v), 'chart summary');
    expect(await page.locator('#hit-chart rect.hits').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#namespaces-table tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/^plan/),
      expect.stringMatching(/^plans/),
    ]);
    expect(await text(page, '#stats-status')).toMatch(/^Updated at .+; refreshes every 3 s$/);
    await screenshot(page, 'console-cache');
    await expectAccessible(page);

    const clears: { url: string; body: string | null }[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/plan-cache/clear'))
        clears.push({ url: request.url(), body: request.postData() });
    });
    await askPlan(app(), 'Forget this private goal').expect(200);
    await page.fill('#clear-goal', 'Forget this private goal');
    await page.click('#clear-one button[type=submit]');
    await waitForText(page, '#clear-result', (v) => v === 'Cleared 1 entries.', 'the one plan is cleared');
    expect(clears.at(-1)).toEqual({
      url: `${app().url}/api/plan-cache/clear`,
      body: JSON.stringify({ goal: 'Forget this private goal' }),
    });

    await page.click('button[data-clear="plans"]');
    await waitForText(page, '#clear-result', (v) => /^Cleared \d+ entries\.$/.test(v), 'the lists are cleared');
    const { body: stats } = await app().http.get('/api/plan-cache/stats').set(bearer()).expect(200);
    expect(stats.namespaces.plans.local_cache_size).toBe(0);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('button[data-clear=""]');
    await waitForText(page, '#stat-local', (v) => v.startsWith('0 /'), 'everything is cleared');
    expect(problems.errors).toEqual([]);
  });

  it('fits a phone screen: no view scrolls sideways except the tables in their own frames', async () => {
    const phone = await openPage(browser(), { viewport: { width: 375, height: 740 }, locale: 'en-US' });
    try {
      for (const view of ['plan', 'billing', 'cache']) {
        await phone.page.goto(`${app().url}/#${view}`);
        await phone.page.fill('#admin-token', ADMIN_TOKEN);
        await phone.page.waitForLoadState('networkidle');
        const widths = await phone.page.evaluate<number[]>('[document.documentElement.scrollWidth, window.innerWidth]');
        expect({ view, scrollWidth: widths[0] }).toEqual({ view, scrollWidth: widths[1] });
      }
      expect(phone.problems.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });

  it('moves between views with the arrow keys, as tabs do', async () => {
    await page.goto(`${app().url}/`);
    await page.focus('#tab-plan');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-billing', 'aria-selected')).toBe('true');
    expect(await page.isVisible('#view-billing')).toBe(true);
    expect(await page.isHidden('#view-plan')).toBe(true);
    expect(await page.evaluate('[document.activeElement?.id, location.hash]')).toEqual(['tab-billing', '#billing']);
    await page.keyboard.press('End');
    expect(await page.getAttribute('#tab-cache', 'aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-plan', 'aria-selected')).toBe('true');
    expect(problems.errors).toEqual([]);
  });
});

describeWith(CHROMIUM)('The web console where feedback needs a signed-in caller (the default)', () => {
  const app = useTestApp({
    PLAN_CACHE_MIN_GEN_TIME: '0',
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
    PLAN_CACHE_SEMANTIC_VERIFY_RATE: '0',
  });
  const browser = useBrowser();

  it("says why its anonymous report is refused, in the service's words, and stops offering the button", async () => {
    const { page, problems } = await openPage(browser(), { locale: 'en-US' });
    try {
      await page.goto(`${app().url}/#plan`);
      await page.fill('#goal', 'Plan the kiosk console rollout');
      await page.click('#plan-form button[type=submit]');
      await waitForText(page, '#plan-source', (v) => v === 'Generator', 'the first plan is generated');
      await page.fill('#goal', 'please plan my kiosk console rollout');
      await page.click('#plan-form button[type=submit]');
      await waitForText(page, '#plan-step', (v) => v === 'Plan from a similar goal', 'a similar goal’s plan is served');
      await page.click('#plan-wrong');
      await waitForText(page, '#plan-feedback', (v) => /signed-in caller/.test(v), 'the 401 is explained');
      expect(await page.isVisible('#plan-wrong')).toBe(false);

      await page.click('#plan-form button[type=submit]');
      await waitForText(page, '#plan-step', (v) => v === 'Plan from a similar goal', 'served again');
      expect(await page.isVisible('#plan-wrong')).toBe(false);
      expect(await text(page, '#plan-feedback')).toMatch(/signed-in caller/);
      await expectAccessible(page);
      expect(problems.errors.filter((error) => !/401/.test(error))).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
