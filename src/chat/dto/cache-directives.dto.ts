import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { CacheObject } from '../requests/request-cache-control.js';

/** The request `Cache-Control` directives as a JSON object, for clients that cannot set headers. */
export class CacheDirectivesDto implements CacheObject {
  @ApiPropertyOptional({ description: 'Regenerate and replace the cached plan (Cache-Control: no-cache)' })
  @IsOptional()
  @IsBoolean({ message: 'cache.no_cache must be true or false' })
  no_cache?: boolean;

  @ApiPropertyOptional({ description: 'Generate without reading or writing the cache (no-store)' })
  @IsOptional()
  @IsBoolean({ message: 'cache.no_store must be true or false' })
  no_store?: boolean;

  @ApiPropertyOptional({ description: 'Accept a cached plan at most this many seconds old (max-age)', minimum: 0 })
  @IsOptional()
  @IsInt({ message: 'cache.max_age must be a whole number of seconds' })
  @Min(0, { message: 'cache.max_age must not be negative' })
  @Max(2 ** 31, { message: 'cache.max_age must be at most 2147483648' })
  max_age?: number;

  @ApiPropertyOptional({ description: 'Answer from the cache or with 504, never call the planner (only-if-cached)' })
  @IsOptional()
  @IsBoolean({ message: 'cache.only_if_cached must be true or false' })
  only_if_cached?: boolean;

  @ApiPropertyOptional({
    description: 'Only a plan cached for exactly this goal, never one of a similar goal (Cache-Control: exact)',
  })
  @IsOptional()
  @IsBoolean({ message: 'cache.exact must be true or false' })
  exact?: boolean;
}
