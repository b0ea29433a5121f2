import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../src/common/package-root.js';
import { CHROMIUM_PATH } from './services.js';

/**
 * Where a test run leaves its screenshots of the console: a git-ignored folder, so that a clean
 * checkout stays clean after its own tests. `npm run screenshots` writes the README's ones
 * (docs/screenshots) by naming that folder in SCREENSHOTS_DIR.
 */
export const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR ?? join(PACKAGE_ROOT, 'reports', 'screenshots');

/**
 * Headless Chromium for one suite. The flags keep it off the network beyond the page under test
 * (no component updates, no sync, no background requests to Google), as a closed machine needs.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser has not started');
    return browser;
  };
}

/** What a page wrote to its console as errors, and the exceptions it did not catch. */
export interface PageProblems {
  errors: string[];
}

/** A new context and page that records console errors and uncaught exceptions. */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems: PageProblems = { errors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true, animations: 'disabled' });
}
