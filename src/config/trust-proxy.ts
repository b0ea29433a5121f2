import { isIP } from 'node:net';
import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/** Names proxy-addr (Fastify's trustProxy) understands besides addresses and ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Fastify's `trustProxy` from TRUST_PROXY: false (none), the trusted addresses, or, for a hop
 * count, a function trusting that many proxies nearest to the service.
 */
export type TrustProxy = false | string[] | ((address: string, hop: number) => boolean);

export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined) return false;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops === 0 ? false : (_address, hop) => hop < hops;
  }
  return trimmed.split(',').map((part) => part.trim());
}

function isAddressOrRange(part: string): boolean {
  if (NAMED_RANGES.has(part)) return true;
  const [address, bits, ...rest] = part.split('/');
  if (rest.length > 0) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

@ValidatorConstraint({ name: 'isTrustProxy' })
export class IsTrustProxy implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Number(trimmed) <= 100;
    return trimmed.split(',').every((part) => isAddressOrRange(part.trim()));
  }

  defaultMessage(): string {
    return 'TRUST_PROXY must be a number of proxy hops or a comma-separated list of addresses, CIDR ranges, loopback, linklocal or uniquelocal';
  }
}
