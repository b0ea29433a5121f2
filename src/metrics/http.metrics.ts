import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

import { METRICS_REGISTRY, routeConfigOf } from '../common/index.js';
import { AppConfig } from '../config/index.js';
import { RequestDurations, type DurationSeries } from './request-durations.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Request durations by method, route template (never the raw path) and status. */
@Injectable()
export class HttpMetrics implements OnModuleInit {
  readonly #duration: RequestDurations;
  /** By route template, method and status: bounded, and found without building a key per request. */
  readonly #children = new Map<string, Map<string, Map<number, DurationSeries>>>();

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {
    this.#duration = new RequestDurations(BUCKETS, registry);
  }

  onModuleInit(): void {
    if (!this.config.metricsEnabled) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      const route = routeConfigOf(request).url ?? 'unmatched';
      this.#series(route, request.method, reply.statusCode).observe(reply.elapsedTime / 1000);
      done();
    });
    // Answers from the front door never reach Fastify's hooks.
    fastify.frontDoor?.observe((route, method, status, seconds) =>
      this.#series(route, method, status).observe(seconds),
    );
  }

  /** One child per label set, kept: labelling on every request would hash the labels every time. */
  #series(route: string, method: string, status: number): DurationSeries {
    let byMethod = this.#children.get(route);
    if (!byMethod) this.#children.set(route, (byMethod = new Map<string, Map<number, DurationSeries>>()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map<number, DurationSeries>()));
    let series = byStatus.get(status);
    if (!series) byStatus.set(status, (series = this.#duration.series(method, route, status)));
    return series;
  }
}
