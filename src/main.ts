import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createHttpAdapter } from './app.setup.js';
import { AppConfig } from './config/app-config.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(AppConfig.fromEnvironment().http), {
    bufferLogs: true,
    abortOnError: false,
  });
  configureApp(app);
  const { port, host } = app.get(AppConfig).http;
  await app.listen(port, host);
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  process.stdout.write(
    `Plan cache service listening on http://${shown}:${port} (API docs: http://${shown}:${port}/docs)\n`,
  );
  // Nest's own shutdown hooks re-raise the signal (exit 143); an orchestrator expects 0 after a clean drain.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
