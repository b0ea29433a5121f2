import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager';
import { Controller, Get, Module, UseInterceptors } from '@nestjs/common';

/**
 * What a team writes first with NestJS's own cache: `CacheModule.register()` and the stock
 * `CacheInterceptor` on a controller returning the parsed list (BODY_FILE), which the interceptor
 * caches and serializes again on every hit. The stock peers run it on Express and on Fastify.
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
export class StockModule {}
