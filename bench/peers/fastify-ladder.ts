import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import type { HttpAdapterHost } from '@nestjs/core';
import fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { BODY_LIMIT_BYTES } from '../../src/app.setup.js';
import { conditionalGet } from '../../src/common/conditional-get.js';
import { installRequestBasics } from '../../src/common/request-basics.js';
import { AppConfig } from '../../src/config/app-config.js';
import { ShutdownCoordinator } from '../../src/lifecycle/shutdown.coordinator.js';
import { requestIdOf } from '../../src/logging/logging.module.js';
import { HttpMetrics } from '../../src/metrics/http.metrics.js';
import { CacheNamespace } from '../../src/plan-cache/cache/cache-namespace.js';
import { AnswerEncodings } from '../../src/plan-cache/http/answer-encodings.js';
import { installFastAnswerHooks } from '../../src/plan-cache/http/fast-answer-hooks.js';
import { FastAnswers } from '../../src/plan-cache/http/fast-answers.js';
import { SerializedJson } from '../../src/plan-cache/http/serialized-json.js';

/**
 * Bare Fastify answering the seeded list's bytes, with the service's pieces added one at a time
 * (LADDER_STEP, cumulative, named in bench/hot-paths/ladder.ts), each the service's own code where
 * it is a function or a class of its own: the gap between bare Fastify and the service, located
 * step by step. BODY_FILE holds the bytes, PORT the port.
 */
const step = Number(process.env.LADDER_STEP ?? 0);
const body = readFileSync(process.env.BODY_FILE ?? '');
const port = Number(process.env.PORT);
const config = AppConfig.from({ ...process.env, METRICS_ENABLED: 'true' });
const CACHE_CONTROL = config.publicCacheControl;

function server(): FastifyInstance {
  if (step < 1) return fastify();
  return fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    http: { headersTimeout: config.http.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    return503OnClosing: false,
  });
}

const app = server();
const host = { httpAdapter: { getInstance: () => app } } as unknown as HttpAdapterHost;
if (step >= 2) installRequestBasics(app);
if (step >= 3) {
  installFastAnswerHooks(app, { bodyLimit: BODY_LIMIT_BYTES });
  const answers = new FastAnswers(host, new AnswerEncodings(), config);
  const list = SerializedJson.fromText(body.toString('utf8'));
  const namespace = new CacheNamespace<SerializedJson>('plans', { enabled: true, ttlMs: 3_600_000, maxEntries: 100 });
  await namespace.set('plans', list, await namespace.stamp('plans'));
  const fromMap = new Map([['plans', list]]);
  answers.register('list', {
    answer(_request, reply) {
      const cached = step >= 4 ? namespace.get('plans') : fromMap.get('plans');
      if (cached === undefined) return undefined;
      void reply.header('etag', cached.etag).header('cache-control', CACHE_CONTROL);
      return cached.body;
    },
  });
  answers.onModuleInit();
}
if (step >= 5) new HttpMetrics(new Registry(), host, config).onModuleInit();
if (step >= 6) app.addHook('onSend', conditionalGet);
if (step >= 7) new ShutdownCoordinator(config, host).onModuleInit();

app.get('/api/plans', { config: { fastAnswer: 'list' } }, (_request, reply) => {
  void reply.header('content-type', 'application/json; charset=utf-8').header('x-cache', 'HIT').send(body);
});
await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`Fastify ladder step ${step} listening on ${port}\n`);
