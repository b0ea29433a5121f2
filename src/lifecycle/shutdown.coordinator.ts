import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { AppConfig } from '../config/app-config.js';

/** A long-lived answer (an event stream) that can be ended early when the drain time is up. */
export interface DrainableStream {
  interrupt(): void;
}

/**
 * Graceful shutdown: on the way down the service stops accepting connections, reports not-ready,
 * and gives open event streams SHUTDOWN_DRAIN_MS to finish before interrupting them. Ordinary
 * requests in flight are then awaited by the HTTP server's close.
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
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    server?.close(); // no new connections; the ones open finish their requests
    const deadline = Date.now() + this.config.shutdownDrainMs;
    this.#logger.log(
      `Shutting down: draining ${this.#streams.size} open streams for up to ${this.config.shutdownDrainMs} ms`,
    );
    while (this.#streams.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const stream of this.#streams) stream.interrupt();
    this.#streams.clear();
  }
}
