import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, Module, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * The stock alternative a Fastify NestJS user would write: `@nestjs/platform-fastify`,
 * `CacheModule.register()` and the stock `CacheInterceptor`, a controller returning the parsed
 * list so that the interceptor caches it (and serializes it again on every hit). BODY_FILE holds
 * the list, PORT the port. The 1.5× target of issue 29 is judged against this peer.
 */
const plans: unknown = JSON.parse(readFileSync(process.env.BODY_FILE ?? '', 'utf8'));

@Controller('api/plans')
@UseInterceptors(CacheInterceptor)
class PlansController {
  @Get()
  list(): unknown {
    return plans;
  }
}

@Module({ imports: [CacheModule.register({ ttl: 300_000 })], controllers: [PlansController] })
class StockModule {}

const port = Number(process.env.PORT);
const app = await NestFactory.create(StockModule, new FastifyAdapter(), { logger: false });
await app.listen(port, '127.0.0.1');
process.stdout.write(`stock NestJS on Fastify listening on ${port}\n`);
