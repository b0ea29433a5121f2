import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const CACHE_NAMESPACES = ['plan', 'plans'] as const;

export class ClearCacheQuery {
  @ApiPropertyOptional({ enum: CACHE_NAMESPACES, description: 'Clear one namespace; omit to clear everything' })
  @IsOptional()
  @IsIn(CACHE_NAMESPACES)
  namespace?: (typeof CACHE_NAMESPACES)[number];
}

export class ClearCacheResponse {
  /** Entries dropped from the in-process tier. */
  cleared!: number;
}
