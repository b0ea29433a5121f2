import { Module } from '@nestjs/common';
import { CallersModule } from '../callers/callers.module.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { CachedPlanAnswers } from './cached-plan-answers.js';
import { CachedPlanStreams } from './cached-plan-streams.js';
import { MemoryPlanHits } from './memory-plan-hits.js';
import { ChatReplyService } from './chat-reply.service.js';
import { ChatController } from './chat.controller.js';
import { PlanHits } from './plan-hits.js';
import { PlanRequestContexts } from './plan-request-context.js';
import { PlannerMetrics } from './planner/planner.metrics.js';
import { plannerProvider } from './planner/planner.provider.js';
import { SemanticMatchingModule } from './semantic/semantic-matching.module.js';
import { SemanticVerifier } from './semantic/semantic-verifier.js';
import { PlanStreams } from './sse/plan-streams.js';
import { refreshAheadProvider } from './task-plan-cache/refresh-ahead.provider.js';
import { TaskPlanCacheModule } from './task-plan-cache/task-plan-cache.module.js';
import { TaskPlanGenerations } from './task-plan-generations.js';
import { TaskPlanService } from './task-plan.service.js';

/** Task plans and chat replies from the planner agent, over JSON and server-sent events. */
@Module({
  imports: [PlanCacheModule, TaskPlanCacheModule, CallersModule, SemanticMatchingModule],
  controllers: [ChatController],
  providers: [
    PlannerMetrics,
    plannerProvider,
    refreshAheadProvider,
    TaskPlanGenerations,
    PlanHits,
    TaskPlanService,
    ChatReplyService,
    PlanRequestContexts,
    PlanStreams,
    MemoryPlanHits,
    CachedPlanAnswers,
    CachedPlanStreams,
    SemanticVerifier,
  ],
})
export class ChatModule {}
