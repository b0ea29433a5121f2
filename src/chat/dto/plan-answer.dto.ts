import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PlanAnswer, PlanSource } from '../answers/plan-answer.js';
import { PlanUsageDto } from './plan-usage.dto.js';
import { SemanticMatchDto } from './semantic-match.dto.js';

export class PlanAnswerDto implements PlanAnswer {
  @ApiProperty({ example: 'Plan: Launch a billing API\n\n1. Clarify the goal: …\n' })
  plan!: string;

  @ApiProperty({ description: 'The plan came from the cache' })
  cached!: boolean;

  @ApiProperty({ description: 'An expired plan served because the planner failed' })
  stale!: boolean;

  @ApiProperty({
    enum: ['l1', 'l2', 'generator', 'semantic'],
    description: 'semantic: the cached plan of a near-duplicate goal (see match)',
  })
  source!: PlanSource;

  @ApiProperty({ example: 'plan:3f9a0c1b2d4e5f60' })
  key!: string;

  @ApiProperty({ type: Number, nullable: true, description: "This request's generation time; null from the cache" })
  generation_ms!: number | null;

  @ApiProperty({
    description: 'The plan was cut at PLANNER_MAX_PLAN_CHARS or the planner’s token limit, and not cached',
  })
  truncated!: boolean;

  @ApiProperty({ type: PlanUsageDto, nullable: true, description: 'What this generation used; null from the cache' })
  usage!: PlanUsageDto | null;

  @ApiProperty({
    type: PlanUsageDto,
    nullable: true,
    description: 'What the cache saved: the tokens its generation used; null for a generated plan',
  })
  saved!: PlanUsageDto | null;

  @ApiPropertyOptional({ type: SemanticMatchDto, description: 'Only when source is semantic' })
  match?: SemanticMatchDto;
}
