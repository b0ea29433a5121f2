import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { AppConfig } from '../config/app-config.js';

const IDLE_SWEEP_MS = 50;

/** A long-lived answer (an event stream) that can be ended early when the drain time is up. */
export interface DrainableStream {
  interrupt(): void;
}

/**
 * Graceful shutdown: on the way down the service reports not-ready at once (the load balancer
 * stops sending), gives open event streams SHUTDOWN_DRAIN_MS to finish before interrupting them,
 * and then the HTTP server stops accepting connections and waits for the requests in flight.
 */
@Injectable()
export class ShutdownCoordinator implements BeforeApplicationShutdown {
  readonly #logger = new Logger(ShutdownCoordinator.name);
  readonly #streams = new Set<DrainableStream>();
  #shuttingDown = false;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

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
    const deadline = Date.now() + this.config.shutdownDrainMs;
    this.#logger.log(
      `Shutting down: draining ${this.#streams.size} open streams for up to ${this.config.shutdownDrainMs} ms`,
    );
    while (this.#streams.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const stream of this.#streams) stream.interrupt();
    this.#streams.clear();
    // Nest closes the HTTP server next: no new connections, the requests in flight are answered.
    // Kept-alive connections whose last request finished would hold that close open: end them.
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (server) setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
  }
}
