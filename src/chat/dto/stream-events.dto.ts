import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PlanSource } from '../answers/plan-answer.js';
import type { StepCode, StreamSummary } from '../streams/plan-replay.js';
import { PlanUsageDto } from './plan-usage.dto.js';
import { SemanticMatchDto } from './semantic-match.dto.js';

const STEP_CODES: StepCode[] = ['plan_from_cache', 'plan_from_similar', 'generating_plan', 'generating_reply'];

/** `event: step` of a plan stream. */
export class StreamStepEventDto {
  @ApiProperty({ enum: STEP_CODES }) code!: StepCode;
  @ApiProperty({ example: 'Plan from cache', description: 'In Russian when Accept-Language prefers ru' })
  label!: string;
}

/** `event: chunk`: the next piece of the text; joined, the chunks are the plan. */
export class StreamChunkEventDto {
  @ApiProperty() text!: string;
}

/** `event: done`: how the answer was made. */
export class StreamDoneEventDto implements StreamSummary {
  @ApiProperty() cached!: boolean;
  @ApiProperty() stale!: boolean;
  @ApiProperty({ enum: ['l1', 'l2', 'generator', 'semantic'], nullable: true, description: 'null for a chat reply' })
  source!: PlanSource | null;
  @ApiProperty({ type: String, nullable: true, example: 'plan:3f9a0c1b2d4e5f60' }) key!: string | null;
  @ApiProperty({ type: Number, nullable: true }) generation_ms!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The weak ETag of the plan' }) etag!: string | null;
  @ApiProperty({ description: 'Cut at the planner’s length limit, and not cached' }) truncated!: boolean;
  @ApiProperty({ type: PlanUsageDto, nullable: true, description: 'What the generation used; null from the cache' })
  usage!: PlanUsageDto | null;
  @ApiProperty({ type: PlanUsageDto, nullable: true, description: 'What the cache saved; null when generated' })
  saved!: PlanUsageDto | null;
  @ApiPropertyOptional({ type: SemanticMatchDto, description: 'Only when source is semantic' })
  match?: SemanticMatchDto;
}

/** `event: error`, after which the stream ends. */
export class StreamErrorEventDto {
  @ApiProperty({ example: 'planner_unavailable' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'To quote when reporting the failure' }) request_id!: string;
}

export const STREAM_EVENT_MODELS = [StreamStepEventDto, StreamChunkEventDto, StreamDoneEventDto, StreamErrorEventDto];
