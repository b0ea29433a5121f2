import { ApiProperty } from '@nestjs/swagger';
import type { SemanticMatchSummary } from '../answers/plan-answer.js';

/** The near-duplicate goal whose plan was served, and how similar it is to the goal asked. */
export class SemanticMatchDto implements SemanticMatchSummary {
  @ApiProperty({ example: 'set up ci for the project', description: 'The normalized goal the plan was made for' })
  goal!: string;

  @ApiProperty({ example: 0.9412, minimum: -1, maximum: 1, description: 'Cosine similarity of the two goals' })
  similarity!: number;
}
