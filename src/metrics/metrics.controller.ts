import { Controller, Get, Header, Inject, NotFoundException, UseGuards } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AppConfig } from '../config/index.js';
import { ErrorResponseDto, METRICS_REGISTRY } from '../common/index.js';
import type { Registry } from 'prom-client';
import { MetricsTokenGuard } from './metrics-token.guard.js';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @UseGuards(MetricsTokenGuard)
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text format 0.0.4)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Cache, planner, HTTP and process metrics' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Metrics are off (METRICS_ENABLED=false)' })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'METRICS_TOKEN is set and no bearer token was sent' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'METRICS_TOKEN is set and another token was sent' })
  metrics(): Promise<string> {
    if (!this.config.metricsEnabled) throw new NotFoundException('Metrics are off: set METRICS_ENABLED=true');
    return this.registry.metrics();
  }
}
