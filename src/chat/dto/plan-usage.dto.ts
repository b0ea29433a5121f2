import { ApiProperty } from '@nestjs/swagger';
import type { PlanUsage } from '../task-plan-cache/task-plan-entry.js';

/** A generation's tokens: reported by the planner, or estimated (builtin planner). */
export class PlanUsageDto implements PlanUsage {
  @ApiProperty({ example: 412, description: 'Prompt tokens' }) input_tokens!: number;
  @ApiProperty({ example: 630, description: 'Completion tokens' }) output_tokens!: number;
  @ApiProperty({ description: 'Estimated (about four characters a token), not reported by the planner' })
  estimated!: boolean;
}
