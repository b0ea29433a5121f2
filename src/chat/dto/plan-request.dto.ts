import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { CacheDirectivesDto } from './cache-directives.dto.js';

export const MAX_GOAL_LENGTH = 4000;
export const MAX_CONTEXT_LENGTH = 20000;
/**
 * A goal names its task in at least one letter or digit: "???" or a zero-width space is nothing to
 * plan (an empty goal has its own message).
 */
export const GOAL_HAS_WORD = /^$|[\p{L}\p{N}]/u;
export const GOAL_HAS_WORD_MESSAGE = 'goal must contain a letter or a digit';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class PlanRequestDto {
  @ApiProperty({ example: 'Launch a billing API for hotspot plans', minLength: 1, maxLength: MAX_GOAL_LENGTH })
  @Transform(trim)
  @MinLength(1, { message: 'goal must not be empty' })
  @MaxLength(MAX_GOAL_LENGTH, { message: `goal must be at most ${MAX_GOAL_LENGTH} characters` })
  @Matches(GOAL_HAS_WORD, { message: GOAL_HAS_WORD_MESSAGE })
  @IsString({ message: 'goal must be a string' })
  goal!: string;

  @ApiPropertyOptional({ example: 'NestJS, PostgreSQL, two developers, four weeks', maxLength: MAX_CONTEXT_LENGTH })
  @IsOptional()
  @MaxLength(MAX_CONTEXT_LENGTH, { message: `project_context must be at most ${MAX_CONTEXT_LENGTH} characters` })
  @IsString({ message: 'project_context must be a string' })
  project_context?: string;

  @ApiPropertyOptional({
    type: CacheDirectivesDto,
    description:
      'The request Cache-Control directives, for clients that cannot set headers; with the header too, both must agree',
  })
  @IsOptional()
  @IsObject({ message: 'cache must be an object such as {"no_cache": true}' })
  @ValidateNested()
  @Type(() => CacheDirectivesDto)
  cache?: CacheDirectivesDto;
}
