import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WEB_CONSOLE_ROOT } from '../src/web-console/web-console.js';
import { decoded, rawGet } from './support/raw-http.js';
import { useTestApp } from './support/test-app.js';

const BUILT = existsSync(join(WEB_CONSOLE_ROOT, 'index.html'));

describe('The web console files', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false' });

  it('is built before the tests run (npm test runs npm run build:web first)', () => {
    expect(BUILT).toBe(true);
  });

  it('serves the page at / with a strict content security policy, revalidated on every visit', async () => {
    const page = await app().http.get('/').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers.etag).toBeDefined();
    expect(page.text).toContain('<title>Plan cache console</title>');
    await app().http.get('/').set('if-none-match', page.headers.etag).expect(304);
  });

  it('serves its content-hashed assets as immutable, from this origin only', async () => {
    const page = await app().http.get('/').expect(200);
    const assets = readdirSync(join(WEB_CONSOLE_ROOT, 'assets')).filter((name) => !/\.(br|gz)$/.test(name));
    expect(assets.some((name) => name.endsWith('.js'))).toBe(true);
    for (const name of assets) {
      expect(page.text).toContain(`/assets/${name}`);
      const asset = await app().http.get(`/assets/${name}`).expect(200);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('sends the copies compressed at build time to clients that accept them, with the same headers', async () => {
    const plain = await rawGet(app().url, '/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const assets = readdirSync(join(WEB_CONSOLE_ROOT, 'assets')).filter((name) => /\.(js|css)$/.test(name));
    for (const path of ['/', ...assets.map((name) => `/assets/${name}`)]) {
      const reference = (await rawGet(app().url, path)).body;
      for (const [accepted, encoding] of [
        ['br, gzip', 'br'],
        ['gzip', 'gzip'],
      ]) {
        const answer = await rawGet(app().url, path, { 'accept-encoding': accepted });
        expect([path, answer.headers['content-encoding']]).toEqual([path, encoding]);
        expect(answer.headers.vary).toMatch(/accept-encoding/i);
        expect(decoded(answer.body, encoding).equals(reference)).toBe(true);
        expect(answer.body.length).toBeLessThan(reference.length * 0.5);
        expect(answer.headers['cache-control']).toBe(path === '/' ? 'no-cache' : 'public, max-age=31536000, immutable');
        if (path === '/') expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      }
    }
  });

  it('does not serve the compressed copies as files of their own', async () => {
    const { body } = await app().http.get('/index.html.br').expect(404);
    expect(body).toMatchObject({ statusCode: 404 });
  });

  it('leaves every other path to the API: unknown paths answer the JSON 404', async () => {
    const { body } = await app().http.get('/nothing-here.js').expect(404);
    expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    await app().http.get('/api/plans').expect(200);
  });
});

describe('The web console, switched off', () => {
  const app = useTestApp({ PLANS_CACHE_WARM: 'false', WEB_CONSOLE_ENABLED: 'false' });

  it('is not served', async () => {
    const { body } = await app().http.get('/').expect(404);
    expect(body).toMatchObject({ statusCode: 404 });
  });
});
