import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PlanRequestDto } from './plan-request.dto.js';

export const STREAM_MODES = ['plan', 'chat'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export class StreamRequestDto extends PlanRequestDto {
  @ApiPropertyOptional({
    enum: STREAM_MODES,
    default: 'plan',
    description: 'plan: cached plan; chat: a reply, never cached',
  })
  @IsOptional()
  @IsIn(STREAM_MODES, { message: 'mode must be one of: plan, chat' })
  mode?: StreamMode;

  @ApiPropertyOptional({
    example: 'no-cache',
    maxLength: 200,
    description:
      'Request Cache-Control directives: `no-cache` regenerates and replaces the plan. On GET this is the only ' +
      'way to ask it, as a browser EventSource sends `Cache-Control: no-cache` on every request; on POST it ' +
      'applies together with the Cache-Control header.',
  })
  @IsOptional()
  @IsString({ message: 'cache_control must be a string' })
  @MaxLength(200, { message: 'cache_control must be at most 200 characters' })
  cache_control?: string;
}
