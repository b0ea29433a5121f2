import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/admin-only.decorator.js';
import { ClearCacheQuery, ClearCacheResponse } from './dto/clear-cache.query.js';
import { PlanCacheService, type PlanCacheStats } from './plan-cache.service.js';

@ApiTags('plan-cache')
@AdminOnly()
@Controller('api/plan-cache')
export class PlanCacheAdminController {
  constructor(private readonly cache: PlanCacheService) {}

  @Get('stats')
  @ApiOperation({ summary: 'Hit and miss counters, sizes, per namespace' })
  stats(): PlanCacheStats {
    return this.cache.stats();
  }

  @Post('clear')
  @HttpCode(200)
  @ApiOperation({ summary: 'Clear one namespace, or everything' })
  @ApiOkResponse({ type: ClearCacheResponse })
  async clear(@Query() query: ClearCacheQuery): Promise<ClearCacheResponse> {
    return { cleared: await this.cache.clear(query.namespace) };
  }
}
