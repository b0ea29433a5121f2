import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
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
}
