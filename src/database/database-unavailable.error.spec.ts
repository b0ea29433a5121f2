import { DatabaseUnavailableError, isDatabaseUnavailable, queryOrUnavailable } from './database-unavailable.error.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a server shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['a connection exception class', withCode('08006')],
    ['a database that is gone', withCode('3D000', 'database "x" does not exist')],
    ['a connection ended under a query', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect in time', new Error('timeout exceeded when trying to connect')],
    ['a driver error wrapped by the ORM', new Error('Failed query: select 1', { cause: withCode('ECONNRESET') })],
  ])('says yes for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value')],
    ['a syntax error', withCode('42601')],
    ['a programming error', new TypeError('x is undefined')],
    ['something that is not an error', 'ECONNREFUSED'],
  ])('says no for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('queryOrUnavailable', () => {
  it('turns an unreachable database into a 503 and lets other errors through', async () => {
    await expect(queryOrUnavailable(() => Promise.reject(withCode('ECONNREFUSED')))).rejects.toMatchObject({
      status: 503,
      code: 'database_unavailable',
    });
    await expect(queryOrUnavailable(() => Promise.reject(withCode('ECONNREFUSED')))).rejects.toBeInstanceOf(
      DatabaseUnavailableError,
    );
    const unique = withCode('23505');
    await expect(queryOrUnavailable(() => Promise.reject(unique))).rejects.toBe(unique);
    await expect(queryOrUnavailable(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
