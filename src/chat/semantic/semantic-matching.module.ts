import { Module } from '@nestjs/common';
import { CallersModule } from '../../callers/callers.module.js';
import { EmbeddingsModule } from '../../embeddings/embeddings.module.js';
import { PlanCacheModule } from '../../plan-cache/plan-cache.module.js';
import { TaskPlanCacheModule } from '../task-plan-cache/task-plan-cache.module.js';
import { EntryThresholds } from './entry-thresholds.js';
import { FeedbackBudget } from './feedback-budget.js';
import { GoalEmbeddings } from './goal-embeddings.js';
import { MatchingForms } from './matching-form/matching-forms.js';
import { PlanAgreement } from './plan-agreement.js';
import { SemanticFeedback } from './semantic-feedback.js';
import { SemanticGoalIndex } from './semantic-goal-index.js';
import { SemanticLookupBudget } from './semantic-lookup-budget.js';
import { SemanticMatcher } from './semantic-matcher.js';
import { SemanticMetrics } from './semantic.metrics.js';
import { SemanticObservationRepository } from './semantic-observation.repository.js';

/**
 * Near-duplicate goals, the task plans' semantic cache policy: the index of cached goals, identity
 * gates, learned thresholds (observations in the database), plan agreement, client feedback, and
 * the budgets of embedded lookups and of feedback.
 * The verifier, which regenerates plans, has a module of its own (SemanticVerificationModule).
 */
@Module({
  imports: [PlanCacheModule, TaskPlanCacheModule, EmbeddingsModule, CallersModule],
  providers: [
    SemanticObservationRepository,
    EntryThresholds,
    SemanticGoalIndex,
    SemanticMatcher,
    GoalEmbeddings,
    MatchingForms,
    PlanAgreement,
    SemanticFeedback,
    FeedbackBudget,
    SemanticLookupBudget,
    SemanticMetrics,
  ],
  exports: [
    SemanticMatcher,
    SemanticLookupBudget,
    GoalEmbeddings,
    PlanAgreement,
    EntryThresholds,
    SemanticFeedback,
    SemanticMetrics,
  ],
})
export class SemanticMatchingModule {}
