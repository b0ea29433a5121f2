import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { StockModule } from './stock-nest-module.js';

/**
 * The stock alternative a Fastify NestJS user would run (`@nestjs/platform-fastify`): the peer the
 * 1.5× target of issue 29 is judged against. BODY_FILE holds the list, PORT the port.
 */
const port = Number(process.env.PORT);
const app = await NestFactory.create(StockModule, new FastifyAdapter(), { logger: false });
await app.listen(port, '127.0.0.1');
process.stdout.write(`stock NestJS on Fastify listening on ${port}\n`);
