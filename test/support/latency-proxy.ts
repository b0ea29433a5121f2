import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from './free-port.js';

/**
 * A TCP proxy in front of a real server whose replies can be held back: a command reaches the
 * server at once and is carried out, but its answer arrives `replyDelayMs` later, as over a slow
 * or congested link (the case where a client's deadline fires although the server did the work).
 * Its link can also be cut ({@link sever}), for one client cut off from a server others still reach.
 */
export class LatencyProxy {
  replyDelayMs = 0;
  readonly #sockets = new Set<Socket>();
  #severed = false;
  #server?: Server;
  #port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async for(url: string): Promise<LatencyProxy> {
    const { hostname, port } = new URL(url);
    const proxy = new LatencyProxy(hostname, Number(port));
    await proxy.start();
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<void> {
    this.#port = await freePort();
    this.#server = createServer((client) => {
      if (this.#severed) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk) => upstream.write(chunk));
      // Replies keep their order whatever the delay does meanwhile.
      let released = Promise.resolve();
      upstream.on('data', (chunk: Buffer) => {
        const due = Date.now() + this.replyDelayMs;
        released = released.then(async () => {
          const wait = due - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          if (client.writable) client.write(chunk);
        });
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.#port, '127.0.0.1', resolve));
  }

  /** Drops every connection, and each new one at once, until {@link mend}. */
  sever(): void {
    this.#severed = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  mend(): void {
    this.#severed = false;
  }

  /**
   * Stops accepting first, then drops every connection: a client reconnecting meanwhile cannot keep
   * it open. On Node 24 the close callback of a server whose links were cut was seen never to come
   * (no connection left): the server is unreferenced and waited for one second at most.
   */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    server.unref();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }
}
