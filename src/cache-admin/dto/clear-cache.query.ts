import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

import { OptionalBody } from '../../common/index.js';

export const CACHE_NAMESPACES = ['plan', 'plans'] as const;

/**
 * What to clear, in the query or in a JSON body (a goal and its project context are private:
 * a body keeps them out of access logs and URL length limits). Both may not be used at once.
 */
@OptionalBody()
export class ClearCacheQuery {
  @ApiPropertyOptional({ enum: CACHE_NAMESPACES, description: 'Clear one namespace; omit everything to clear all' })
  @IsOptional()
  @ValidateIf((query: ClearCacheQuery) => query.goal === undefined || query.namespace !== undefined)
  @IsIn(CACHE_NAMESPACES, { message: 'namespace must be one of the following values: plan, plans' })
  namespace?: (typeof CACHE_NAMESPACES)[number];

  @ApiPropertyOptional({ description: 'Clear the task plan of this goal (normalized as for caching)' })
  @IsOptional()
  @MinLength(1, { message: 'goal must not be empty' })
  @MaxLength(4000)
  @IsString()
  goal?: string;

  @ApiPropertyOptional({ description: 'With goal: the project context of the plan to clear' })
  @IsOptional()
  @MaxLength(20000)
  @IsString()
  project_context?: string;

  @ApiPropertyOptional({
    description: 'With goal and PLAN_CACHE_SCOPE=tenant: clear that tenant’s plan instead of the shared one',
  })
  @IsOptional()
  @MinLength(1, { message: 'tenant must not be empty' })
  @MaxLength(200)
  @IsString()
  tenant?: string;
}

export class ClearCacheResponse {
  @ApiProperty({ description: 'Entries this instance dropped from its memory' })
  cleared!: number;
}
