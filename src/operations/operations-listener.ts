import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { HttpExceptionFilter } from '../common/index.js';
import { AppConfig } from '../config/index.js';
import { OperationsAppModule } from './operations-app.module.js';

/** What the internal listener serves, and the service port then answers 404 for. */
const OPERATIONS_ROUTES = new Set(['/metrics', '/health/live', '/health/ready']);

/**
 * OPS_PORT: /metrics, /health/* and /docs on a listener of their own (NestJS's several
 * applications in one process), which operators keep off the public network; the service port
 * answers 404 for them. It starts before the service port listens and closes after it drained,
 * so that probes answer (503 while shutting down) as long as the service does.
 */
@Injectable()
export class OperationsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  #document?: OpenAPIObject;
  #app?: NestFastifyApplication;
  #url?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  get enabled(): boolean {
    return this.config.operations.port !== undefined;
  }

  /** Where it listens (`http://host:port`) once started; undefined without OPS_PORT. */
  get url(): string | undefined {
    return this.#url;
  }

  /** The port it listens on once started (OPS_PORT, or the one given for 0). */
  get port(): number | undefined {
    return this.#url === undefined ? undefined : Number(new URL(this.#url).port);
  }

  /**
   * Called on the service's Fastify instance before its routes exist: the operations routes it
   * gets answer 404 there, and the API document goes to this listener's /docs.
   */
  moveOperationsRoutesFrom(service: FastifyInstance, document: OpenAPIObject): void {
    this.#document = document;
    service.addHook('onRoute', (route) => {
      if (!OPERATIONS_ROUTES.has(route.url)) return;
      const onRequest = route.onRequest === undefined ? [] : [route.onRequest].flat();
      route.onRequest = [...onRequest, (_request, reply) => reply.callNotFound()];
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.config.operations;
    if (port === undefined) return;
    const app = await NestFactory.create<NestFastifyApplication>(
      OperationsAppModule.sharing(this.moduleRef),
      new FastifyAdapter(),
      { logger: false, abortOnError: false },
    );
    app.useGlobalFilters(new HttpExceptionFilter());
    if (this.#document) SwaggerModule.setup('docs', app, this.#document, { jsonDocumentUrl: 'docs-json' });
    await app.listen(port, host);
    this.#app = app;
    this.#url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.#app?.close();
  }
}
