import { encodedEtag } from './answer-encodings.js';

describe('encodedEtag', () => {
  it.each([
    ['"abc"', 'br', '"abc-br"'],
    ['"abc"', 'gzip', '"abc-gzip"'],
    ['W/"abc"', 'br', 'W/"abc-br"'],
  ] as const)('tags %s sent as %s %s', (etag, encoding, expected) => {
    expect(encodedEtag(etag, encoding)).toBe(expected);
  });
});
