import { wantsRegeneration } from './request-cache-control.js';

describe('wantsRegeneration', () => {
  it.each([
    ['no-cache', true],
    ['No-Cache', true],
    ['max-age=0, no-cache', true],
    ['no-cache="set-cookie"', true],
    [undefined, false],
    ['', false],
    ['no-store', false],
    ['max-age=60', false],
    ['x-no-cache', false],
  ])('%p → %p', (header, expected) => {
    expect(wantsRegeneration(header)).toBe(expected);
  });
});
