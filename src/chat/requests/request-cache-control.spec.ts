import { BadRequestException } from '@nestjs/common';
import { describeDirectives, parseCacheControl, requestDirectives } from './request-cache-control.js';

describe('parseCacheControl', () => {
  it.each([
    ['no-cache', 'no-cache'],
    ['No-Cache', 'no-cache'],
    ['no-cache="set-cookie"', 'no-cache'],
    ['no-store', 'no-store'],
    ['max-age=60', 'max-age=60'],
    ['max-age="60"', 'max-age=60'],
    ['max-age=0, no-cache', 'no-cache, max-age=0'],
    ['max-age=600, max-age=60', 'max-age=60'],
    ['max-age=99999999999', 'max-age=2147483648'],
    ['only-if-cached, max-age=5', 'max-age=5, only-if-cached'],
    [' ONLY-IF-CACHED ', 'only-if-cached'],
  ])('reads %p as %p', (header, expected) => {
    expect(describeDirectives(parseCacheControl(header))).toBe(expected);
  });

  it.each([undefined, '', 'x-no-cache', 'max-age=soon', 'max-age=-1', 'max-age=', 'max-age=1.5', ',,,', 'private'])(
    'ignores %p, as RFC 9111 asks of what it does not understand',
    (header) => {
      expect(describeDirectives(parseCacheControl(header))).toBe('none');
    },
  );
});

describe('requestDirectives', () => {
  it('takes the directives from the header or from the body', () => {
    expect(describeDirectives(requestDirectives('no-cache', undefined))).toBe('no-cache');
    expect(describeDirectives(requestDirectives(undefined, { max_age: 30 }))).toBe('max-age=30');
    expect(describeDirectives(requestDirectives('private', { no_store: true }))).toBe('no-store');
  });

  it('accepts both when they say the same, and refuses them when they do not', () => {
    expect(describeDirectives(requestDirectives('max-age=30', { max_age: 30 }))).toBe('max-age=30');
    expect(() => requestDirectives('no-cache', { max_age: 30 })).toThrow(BadRequestException);
    expect(() => requestDirectives('no-cache', { max_age: 30 })).toThrow(
      "The Cache-Control header (no-cache) and the body's cache (max-age=30) disagree: send the directives once, or the same in both",
    );
  });
});
