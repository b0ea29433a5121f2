import { isIP } from 'node:net';

/**
 * Whether a listen address reaches this machine only: `localhost`, 127.0.0.0/8, `::1` (or
 * 127.x as an IPv4-mapped IPv6 address). A wildcard (0.0.0.0, ::) or any other address is not.
 */
export function isLoopbackAddress(host: string): boolean {
  const address = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (address === 'localhost' || address === '::1') return true;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIP(ipv4) === 4 && ipv4.startsWith('127.');
}
