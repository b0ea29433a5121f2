import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { PACKAGE_ROOT } from '../common/index.js';
import { AppConfig } from '../config/index.js';

/** Where `npm run build:web` puts the console. */
export const WEB_CONSOLE_ROOT = join(PACKAGE_ROOT, 'dist', 'public');

/** Vite names these files by their content hash, so a browser may keep them for good. */
const HASHED_ASSETS = `${join(WEB_CONSOLE_ROOT, 'assets')}${sep}`;

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the web console (index.html and its assets) at `/`. One route per built file, no
 * wildcard: every other path still reaches the API's own 404.
 */
export function serveWebConsole(app: NestFastifyApplication): void {
  if (!app.get(AppConfig).webConsoleEnabled) return;
  if (!existsSync(join(WEB_CONSOLE_ROOT, 'index.html'))) {
    new Logger('WebConsole').warn(`The web console is not built (${WEB_CONSOLE_ROOT}); run npm run build`);
    return;
  }
  // Registered on Fastify itself: its setHeaders receives the reply (NestJS's typing of it is older).
  void app
    .getHttpAdapter()
    .getInstance()
    .register(fastifyStatic, {
      root: WEB_CONSOLE_ROOT,
      prefix: '/',
      wildcard: false,
      // The build wrote index.html.br and .gz beside index.html: sent as they are, per Accept-Encoding.
      preCompressed: true,
      // Those copies are not pages of their own.
      allowedPath: (path: string) => !PRECOMPRESSED.test(path),
      cacheControl: false,
      setHeaders: setConsoleHeaders,
    });
}

/** The suffixes of the build's compressed copies (web/vite.config.ts). */
const PRECOMPRESSED = /\.(br|gz)$/;

/** `filePath` is the file sent: a compressed copy's headers are those of its original. */
function setConsoleHeaders(reply: FastifyReply, sentPath: string): void {
  const filePath = sentPath.replace(PRECOMPRESSED, '');
  const immutable = filePath.startsWith(HASHED_ASSETS);
  void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  void reply.header('x-content-type-options', 'nosniff');
  if (filePath.endsWith('.html')) {
    void reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    void reply.header('referrer-policy', 'no-referrer');
  }
}
