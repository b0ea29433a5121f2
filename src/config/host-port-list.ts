export interface HostPort {
  host: string;
  port: number;
}

/** `a:1, b:2, [::1]:3` → their hosts and ports (brackets of IPv6 addresses dropped). */
export function parseHostPorts(text: string): HostPort[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.lastIndexOf(':');
      const host = part.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
      return { host, port: Number(part.slice(colon + 1)) };
    });
}
