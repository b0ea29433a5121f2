import { BadRequestException, Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ExperimentReport } from '../chat/index.js';
import { TaskPlanAdmin } from '../chat/index.js';
import { AdminOnly, ErrorResponseDto } from '../common/index.js';
import { PlanCacheService, NamespaceStatsDto } from '../plan-cache/index.js';
import { PlanCacheStatsDto } from './dto/cache-stats.dto.js';
import { ClearCacheQuery, ClearCacheResponse } from './dto/clear-cache.query.js';

@ApiTags('plan-cache')
@AdminOnly()
@Controller('api/plan-cache')
export class PlanCacheAdminController {
  constructor(
    private readonly cache: PlanCacheService,
    private readonly taskPlans: TaskPlanAdmin,
  ) {}

  @Get('stats')
  @ApiOperation({ summary: 'Hit and miss counters, sizes, per namespace' })
  @ApiExtraModels(NamespaceStatsDto)
  @ApiOkResponse({ type: PlanCacheStatsDto })
  stats(): PlanCacheStatsDto {
    const { enabled, savings, scopes } = this.taskPlans.stats();
    const { namespaces, ...totals } = this.cache.stats();
    return { enabled, ...totals, savings, scopes, namespaces };
  }

  @Get('experiments')
  @ApiOperation({
    summary: 'The running A/B test of task-plan cache policies: per variant, its counts, hit ratio and z-test',
    description:
      'Counts are summed over every instance when Redis is on (`shared`). Each variant has its hit ratio with a 95 % ' +
      'Wilson interval and a two-proportion z-test against the control (the first variant); `winner` names the ' +
      'variant significantly better than the control (p < 0.05), if any. 404 when no experiment runs.',
  })
  @ApiOkResponse({ description: 'The report of the running experiment' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No experiment is configured' })
  experimentReport(): Promise<ExperimentReport> {
    return this.taskPlans.experimentReport();
  }

  @Post('clear')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Clear one task plan (goal, project_context), one namespace, or everything',
    description: 'The fields go in the query or in a JSON body (better for a goal and its context), not both.',
  })
  @ApiBody({ type: ClearCacheQuery, required: false })
  @ApiOkResponse({ type: ClearCacheResponse })
  async clear(@Query() inQuery: ClearCacheQuery, @Body() inBody: ClearCacheQuery): Promise<ClearCacheResponse> {
    const given = (fields: ClearCacheQuery) => Object.values(fields).some((value) => value !== undefined);
    if (given(inQuery) && given(inBody)) {
      throw new BadRequestException('Say what to clear in the query or in the body, not in both');
    }
    const query = given(inBody) ? inBody : inQuery;
    if (query.goal !== undefined) {
      const { namespace } = this.taskPlans;
      if (query.namespace !== undefined && query.namespace !== namespace) {
        throw new BadRequestException(
          `goal clears a task plan: use it without namespace, or with namespace=${namespace}`,
        );
      }
      return { cleared: await this.taskPlans.clear(query.goal, query.project_context, query.tenant) };
    }
    if (query.project_context !== undefined) throw new BadRequestException('project_context needs goal');
    if (query.tenant !== undefined) throw new BadRequestException('tenant needs goal');
    return { cleared: await this.cache.clear(query.namespace) };
  }
}
