import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, Module, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';

/**
 * The stock alternative a team would write first: NestJS on Express, `CacheModule.register()`
 * and the stock `CacheInterceptor`, serving the same list. BODY_FILE holds it, PORT the port.
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
const app = await NestFactory.create(StockModule, new ExpressAdapter(), { logger: false });
await app.listen(port, '127.0.0.1');
process.stdout.write(`stock NestJS listening on ${port}\n`);
