import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { TestRedisServer } from '../../test/support/redis-server.js';

/**
 * The service as shipped to production, piece by piece (issue 29): Redis enabled (L2, bus, locks),
 * JWT callers with their limits, CORS for the console's origin, tracing configured but unsampled.
 */
const JWT_SECRET = 'bench-jwt-secret-of-at-least-thirty-two-chars';
/** Production verifies tokens of one issuer for one audience only. */
const TOKEN_CHECKS = { AUTH_ISSUER: 'https://id.bench.example', AUTH_AUDIENCE: 'plan-cache' };
export const ALLOWED_ORIGIN = 'https://console.bench.example';

export const JWT_SETTINGS = {
  AUTH_JWT_SECRET: JWT_SECRET,
  ...TOKEN_CHECKS,
  LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE: '1000000',
  LIMIT_TENANT_DAILY_TOKENS: '100000000',
};
export const CORS_SETTINGS = { CORS_ORIGINS: ALLOWED_ORIGIN };

/** A valid token of a signed-in caller of one tenant, for two hours. */
export async function callerToken(): Promise<string> {
  return new SignJWT({ sub: 'bench-user', tenant: 'bench' })
    .setIssuer(TOKEN_CHECKS.AUTH_ISSUER)
    .setAudience(TOKEN_CHECKS.AUTH_AUDIENCE)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

/** What a browser's signed-in request carries: the caller's token and the console's origin. */
export async function shippedHeaders(): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await callerToken()}`, origin: ALLOWED_ORIGIN };
}

/** A redis-server of its own (redis-server on PATH), and the settings that enable it. */
export async function startRedis(): Promise<{ settings: Record<string, string>; stop: () => Promise<void> }> {
  const redis = await TestRedisServer.create();
  await redis.start();
  return { settings: { PLAN_CACHE_REDIS_ENABLED: 'true', REDIS_URL: redis.url }, stop: () => redis.kill() };
}

/**
 * Tracing configured but sampling nothing: an OTLP endpoint (a local receiver that accepts and
 * drops, in case anything is sent) and `OTEL_TRACES_SAMPLER=always_off`, a sampler the service
 * honours (src/config/tracing-variables.ts).
 */
export async function unsampledTracing(): Promise<{ settings: Record<string, string>; stop: () => void }> {
  const receiver: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  return {
    settings: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_off' },
    stop: () => receiver.close(),
  };
}
