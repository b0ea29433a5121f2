import 'reflect-metadata';
import { AppConfig } from '../config/index.js';

/**
 * The image's HEALTHCHECK: asks this container's service whether it lives, where it listens. The
 * internal listener (OPS_PORT) serves /health/live; without it the service port does. A wildcard
 * address is asked on the loopback, any other address (a non-loopback OPS_HOST) as it is. With
 * OPS_PORT=0 the port is chosen at start and known only inside the process: the service port is
 * asked instead, and any answer from it (a 404 there) says the process is up and serving.
 * Exits 0 when alive, 1 otherwise.
 */
async function main(): Promise<number> {
  const { http, operations } = AppConfig.fromEnvironment();
  const internal = operations.port !== undefined && operations.port !== 0;
  const [host, port] = internal ? [operations.host, operations.port!] : [http.host, http.port];
  const answer = await fetch(`http://${urlHost(host)}:${port}/health/live`, { signal: AbortSignal.timeout(2500) });
  const portUnknown = operations.port === 0;
  return answer.ok || (portUnknown && answer.status < 500) ? 0 : 1;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

main().then(
  (code) => process.exit(code),
  () => process.exit(1),
);
