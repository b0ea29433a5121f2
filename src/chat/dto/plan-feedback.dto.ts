import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import {
  IGNORED_FEEDBACK,
  type FeedbackReceipt,
  type IgnoredFeedback,
  type PlanFeedback,
} from '../semantic/semantic-feedback.js';
import { GOAL_HAS_WORD, GOAL_HAS_WORD_MESSAGE, MAX_GOAL_LENGTH } from './plan-request.dto.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** `POST /api/chat/plan/feedback`: a client's word on a plan it was served. */
export class PlanFeedbackDto implements PlanFeedback {
  @ApiProperty({ example: 'plan:3f9a0c1b2d4e5f60', description: 'The `key` of the answer judged' })
  @IsString({ message: 'key must be a string' })
  @Matches(/^plan:(?:[0-9a-f]{32}:)?[0-9a-f]{16}$/u, {
    message: 'key must be a plan key as answers give it (plan:<16 hex>)',
  })
  key!: string;

  @ApiProperty({ example: 'please set up CI for my project', description: 'The goal that was asked' })
  @Transform(trim)
  @IsString({ message: 'goal must be a string' })
  @MinLength(1, { message: 'goal must not be empty' })
  @MaxLength(MAX_GOAL_LENGTH, { message: `goal must be at most ${MAX_GOAL_LENGTH} characters` })
  @Matches(GOAL_HAS_WORD, { message: GOAL_HAS_WORD_MESSAGE })
  goal!: string;

  @ApiProperty({ description: 'true: the plan is not what was asked; false: it is (signed-in callers only)' })
  @IsBoolean({ message: 'wrong must be true or false' })
  wrong!: boolean;
}

export class FeedbackReceiptDto implements FeedbackReceipt {
  @ApiProperty({ example: 'plan:3f9a0c1b2d4e5f60' }) key!: string;
  @ApiProperty({ example: 0.93, description: 'Similarity of the goal asked to the entry’s goal' }) similarity!: number;
  @ApiProperty() wrong!: boolean;
  @ApiProperty({ description: 'Whether this feedback counts as an observation of the entry' }) counted!: boolean;
  @ApiProperty({
    enum: IGNORED_FEEDBACK,
    required: false,
    description:
      'Why it does not count: given already by this caller for this goal, this caller’s share on the entry given, ' +
      'a confirmation by the entry’s creator, the entry’s own goal, or a goal too far to be served the entry',
  })
  ignored?: IgnoredFeedback;
  @ApiProperty({ example: 0.930001, description: 'The entry’s similarity threshold after this observation' })
  threshold!: number;
  @ApiProperty({ example: 1, description: 'Observations of the entry so far' }) observations!: number;
}
