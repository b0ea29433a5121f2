import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
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
}

/** `GET /api/chat/stream`: the same fields in the query, and the directives as a Cache-Control value. */
export class StreamQueryDto extends OmitType(StreamRequestDto, ['cache'] as const) {
  @ApiPropertyOptional({
    example: 'no-cache',
    maxLength: 200,
    description:
      'Request Cache-Control directives (no-cache, no-store, max-age=N, only-if-cached). On GET this is the only ' +
      'way to say them: a browser EventSource sends `Cache-Control: no-cache` on every request, so the header is not read.',
  })
  @IsOptional()
  @IsString({ message: 'cache_control must be a string' })
  @MaxLength(200, { message: 'cache_control must be at most 200 characters' })
  cache_control?: string;
}
