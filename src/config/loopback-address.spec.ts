import { isLoopbackAddress } from './loopback-address.js';

describe('isLoopbackAddress', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])(
    'counts %p as reaching this machine only',
    (host) => {
      expect(isLoopbackAddress(host)).toBe(true);
    },
  );

  it.each([
    '0.0.0.0',
    '::',
    '10.1.2.3',
    '192.168.0.7',
    'fe80::1',
    '::ffff:10.0.0.1',
    'service.internal',
    '127.example',
  ])('counts %p as reachable from elsewhere', (host) => {
    expect(isLoopbackAddress(host)).toBe(false);
  });
});
