import { RedisConnection } from './redis-connection.js';

const settings = { keyPrefix: 'plan-cache', timeoutMs: 200, breakerResetMs: 100 };

describe('RedisConnection', () => {
  it('takes REDIS_TLS=true with a redis:// URL as TLS (node-redis refuses the mismatch, with the URL in its message)', async () => {
    const connection = new RedisConnection({
      ...settings,
      access: { topology: { mode: 'standalone', url: 'redis://app:url-secret@127.0.0.1:1' }, tls: {} },
    });
    expect(connection.state()).toMatchObject({ mode: 'standalone', primaries: ['127.0.0.1:1'], fencing: 'unknown' });
    await connection.close();
  });

  it('names the cluster and Sentinel modes, with no primary before it has connected', async () => {
    for (const topology of [
      { mode: 'cluster' as const, nodes: [{ host: '127.0.0.1', port: 1 }] },
      { mode: 'sentinel' as const, sentinels: [{ host: '127.0.0.1', port: 1 }], masterName: 'plan-cache' },
    ]) {
      const connection = new RedisConnection({ ...settings, access: { topology } });
      expect(connection.state()).toEqual({ mode: topology.mode, primaries: [], failovers: 0, fencing: 'unknown' });
      expect(connection.connected).toBe(false);
      await connection.close();
    }
  });

  it('fails a call at once while the Sentinels have named no primary (node-redis would hold it until one)', async () => {
    const connection = new RedisConnection({
      ...settings,
      access: { topology: { mode: 'sentinel', sentinels: [{ host: '127.0.0.1', port: 1 }], masterName: 'plan-cache' } },
    });
    let sent = false;
    await expect(connection.guard.run(() => Promise.resolve((sent = true)))).rejects.toThrow('Redis is not connected');
    expect(sent).toBe(false);
    await connection.close();
  });
});
