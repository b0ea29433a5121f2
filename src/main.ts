import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { Logger } from 'nestjs-pino';
import { AppConfig, redactUrls } from './config/index.js';
import { OperationsListener } from './operations/index.js';

async function bootstrap(): Promise<void> {
  const { http, tracing } = AppConfig.fromEnvironment();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(http, tracing), {
    bufferLogs: true,
    abortOnError: false,
  });
  configureApp(app);
  const config = app.get(AppConfig);
  const { port, host } = config.http;
  await app.listen(port, host);
  const shown = (address: string) => (address === '0.0.0.0' || address === '::' ? 'localhost' : address);
  // With OPS_PORT the docs (and metrics and probes) are on the internal listener, listening already.
  const opsPort = app.get(OperationsListener).port;
  const docsAt = opsPort === undefined ? `${shown(host)}:${port}` : `${shown(config.operations.host)}:${opsPort}`;
  const banner = `Plan cache service listening on http://${shown(host)}:${port} (API docs: http://${docsAt}/docs)`;
  // Production logs are JSON lines, every one of them; a developer reads the plain line.
  if (config.production) app.get(Logger).log({ msg: banner, port, host, ops_port: opsPort });
  else process.stdout.write(`${banner}\n`);
  // Nest's own shutdown hooks re-raise the signal (exit 143); an orchestrator expects 0 after a clean drain.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Shutdown failed: ${redactUrls(messageOf(error))}\n`);
          process.exit(1);
        },
      );
    });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${redactUrls(messageOf(error))}\n`);
  process.exit(1);
});
