import { noneMatch, strongEtag } from './entity-tag.js';

describe('strongEtag', () => {
  it('is a quoted tag of the bytes, equal for equal bytes and different otherwise', () => {
    const tag = strongEtag(Buffer.from('[{"id":1}]'));
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(strongEtag('[{"id":1}]')).toBe(tag);
    expect(strongEtag('[{"id":2}]')).not.toBe(tag);
  });
});

describe('noneMatch', () => {
  const tag = '"abc"';
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
    ['', false],
  ])('If-None-Match %p matches: %p', (header, expected) => {
    expect(noneMatch(header, tag)).toBe(expected);
  });

  it('matches nothing without the header', () => {
    expect(noneMatch(undefined, tag)).toBe(false);
  });

  it('compares a weak tag of ours weakly too', () => {
    expect(noneMatch('"abc"', 'W/"abc"')).toBe(true);
  });
});
