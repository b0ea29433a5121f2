import ipaddr from 'ipaddr.js';

/** The leading hextets of an IPv6 /64: the smallest network an end site is given (RFC 6177). */
const NETWORK_HEXTETS = 4;

/**
 * Whose budget an anonymous request is counted in: an IPv4 address as it is, an IPv6 address by
 * its /64, since one subscriber holds a whole /64 and can answer from any of its 2^64 addresses.
 * An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, as a dual-stack socket reports IPv4 peers) is
 * its IPv4 address, so that one client never has two budgets. Anything that does not parse is
 * kept as it came (Fastify gives the socket's or a trusted proxy's word for it).
 */
export function addressKey(address: string): string {
  // An IPv4 address, as the socket or proxy-addr spells it: the common case, answered without parsing.
  if (!address.includes(':') || !ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const hextets = (parsed as ipaddr.IPv6).parts.slice(0, NETWORK_HEXTETS);
  const network = new ipaddr.IPv6([...hextets, 0, 0, 0, 0]);
  return `${network.toString()}/64`;
}
