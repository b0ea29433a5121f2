import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { BearerSecret, bearerToken } from './bearer-secret.js';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER   abc', 'abc'],
  ])('reads the token of %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([undefined, '', 'abc', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearerabc'])(
    'finds no token in %p',
    (header) => {
      expect(bearerToken(header)).toBeUndefined();
    },
  );
});

describe('BearerSecret', () => {
  const secret = new BearerSecret('right-token', 'metrics token', 'METRICS_TOKEN');

  it('accepts the secret and nothing else', () => {
    expect(() => secret.check('Bearer right-token')).not.toThrow();
    expect(() => secret.check('Bearer right-token-and-more')).toThrow(
      new ForbiddenException('The metrics token is not valid'),
    );
  });

  it('answers 401 naming the variable when no bearer token is sent', () => {
    expect(() => secret.check(undefined)).toThrow(
      new UnauthorizedException('Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"'),
    );
    expect(() => secret.check('Basic cmlnaHQtdG9rZW4=')).toThrow(UnauthorizedException);
  });
});
