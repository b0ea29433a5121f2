import { Module } from '@nestjs/common';
import { GenerationModule } from '../generation/generation.module.js';
import { TaskPlanCacheModule } from '../task-plan-cache/task-plan-cache.module.js';
import { SemanticMatchingModule } from './semantic-matching.module.js';
import { SemanticVerifier } from './semantic-verifier.js';

/**
 * The checks that teach semantic matching its thresholds: a share of semantic hits regenerated in
 * the background and compared. Apart from matching because it makes plans (GenerationModule),
 * which matching itself must not need.
 */
@Module({
  imports: [GenerationModule, SemanticMatchingModule, TaskPlanCacheModule],
  providers: [SemanticVerifier],
  exports: [SemanticVerifier],
})
export class SemanticVerificationModule {}
