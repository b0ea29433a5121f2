import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export const MAX_GOAL_LENGTH = 4000;
export const MAX_CONTEXT_LENGTH = 20000;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class PlanRequestDto {
  @ApiProperty({ example: 'Launch a billing API for hotspot plans', minLength: 1, maxLength: MAX_GOAL_LENGTH })
  @Transform(trim)
  @MinLength(1, { message: 'goal must not be empty' })
  @MaxLength(MAX_GOAL_LENGTH, { message: `goal must be at most ${MAX_GOAL_LENGTH} characters` })
  @IsString({ message: 'goal must be a string' })
  goal!: string;

  @ApiPropertyOptional({ example: 'NestJS, PostgreSQL, two developers, four weeks', maxLength: MAX_CONTEXT_LENGTH })
  @IsOptional()
  @MaxLength(MAX_CONTEXT_LENGTH, { message: `project_context must be at most ${MAX_CONTEXT_LENGTH} characters` })
  @IsString({ message: 'project_context must be a string' })
  project_context?: string;
}
