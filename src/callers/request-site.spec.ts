import type { FastifyRequest } from 'fastify';
import { isCrossSite } from './request-site.js';

const request = (headers: Record<string, string>) =>
  ({ headers: { host: 'plans.example.com', ...headers } }) as unknown as FastifyRequest;
const allowed = new Set(['https://app.example.com']);

describe('isCrossSite', () => {
  it.each([
    [{}, false],
    [{ 'sec-fetch-site': 'same-origin', origin: 'https://plans.example.com' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    [{ origin: 'https://evil.example' }, true],
    [{ origin: 'null' }, true],
    [{ origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' }, false],
    [{ origin: 'not a url' }, true],
  ])('%j → %s', (headers, crossSite) => {
    expect(isCrossSite(request(headers), allowed)).toBe(crossSite);
  });
});
