import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../config/index.js';

/** A long-lived answer (an event stream) that can be ended early when the drain time is up. */
export interface DrainableStream {
  interrupt(): void;
}

/**
 * Graceful shutdown: on the way down the service reports not-ready at once, keeps serving for
 * SHUTDOWN_DELAY_MS while the load balancer notices, gives open event streams SHUTDOWN_DRAIN_MS to finish before interrupting them,
 * and then the HTTP server stops accepting connections and waits for the requests in flight.
 */
@Injectable()
export class ShutdownCoordinator implements OnModuleInit, BeforeApplicationShutdown {
  readonly #logger = new Logger(ShutdownCoordinator.name);
  readonly #streams = new Set<DrainableStream>();
  #shuttingDown = false;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * While shutting down, every answer closes its connection: a client then opens a new one (to
   * another instance once this one's listener is closed) instead of sending its next request on
   * a kept-alive connection that the server is about to close under it.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      if (this.#shuttingDown) void reply.header('connection', 'close');
      done(null, payload);
    });
    fastify.frontDoor?.withHeaders((_request, headers) => {
      if (this.#shuttingDown) headers.header('connection', 'close');
    }, 'after');
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Follows a stream until it ends; call the answer when it does. */
  track(stream: DrainableStream): () => void {
    this.#streams.add(stream);
    return () => this.#streams.delete(stream);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.#shuttingDown = true;
    if (this.config.shutdownDelayMs > 0) {
      this.#logger.log(`Shutting down: not ready, still serving for ${this.config.shutdownDelayMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, this.config.shutdownDelayMs));
    }
    const deadline = Date.now() + this.config.shutdownDrainMs;
    this.#logger.log(
      `Shutting down: draining ${this.#streams.size} open streams for up to ${this.config.shutdownDrainMs} ms`,
    );
    while (this.#streams.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const stream of this.#streams) stream.interrupt();
    this.#streams.clear();
    // Nest closes the HTTP server next: no new connections, idle ones closed, the requests in
    // flight answered, each with `Connection: close` (see onModuleInit), so no connection lingers.
  }
}
