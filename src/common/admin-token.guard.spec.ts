import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AdminTokenGuard } from './admin-token.guard.js';

/** The headers the guard put on the answer, by name. */
let answered: Record<string, string> = {};

const withAuthorization = (authorization?: string) => {
  answered = {};
  const reply = {
    header(name: string, value: string) {
      answered[name] = value;
      return reply;
    },
  };
  return {
    switchToHttp: () => ({
      getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }),
      getResponse: () => reply,
    }),
  } as unknown as ExecutionContext;
};

describe('AdminTokenGuard', () => {
  const guard = new AdminTokenGuard(AppConfig.from({ ADMIN_TOKEN: 'right-token' }));

  it('lets the right bearer token through, whatever the scheme case', () => {
    expect(guard.canActivate(withAuthorization('Bearer right-token'))).toBe(true);
    expect(guard.canActivate(withAuthorization('bearer right-token'))).toBe(true);
  });

  it('marks every admin answer, refusals included, Cache-Control: no-store', () => {
    guard.canActivate(withAuthorization('Bearer right-token'));
    expect(answered).toEqual({ 'cache-control': 'no-store' });
    expect(() => guard.canActivate(withAuthorization('Bearer wrong-token'))).toThrow(ForbiddenException);
    expect(answered).toEqual({ 'cache-control': 'no-store' });
  });

  it.each([undefined, '', 'right-token', 'Basic cmlnaHQtdG9rZW4=', 'Bearer'])('answers 401 to %p', (header) => {
    expect(() => guard.canActivate(withAuthorization(header))).toThrow(UnauthorizedException);
  });

  it.each(['Bearer wrong-token', 'Bearer right-token-and-more', 'Bearer r'])('answers 403 to %p', (header) => {
    expect(() => guard.canActivate(withAuthorization(header))).toThrow(ForbiddenException);
  });

  it('answers 403 with advice when no token is configured', () => {
    const disabled = new AdminTokenGuard(AppConfig.from({}));
    expect(() => disabled.canActivate(withAuthorization('Bearer anything'))).toThrow(
      'The admin API is disabled: set ADMIN_TOKEN to enable it',
    );
  });
});
