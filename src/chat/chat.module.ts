import { Module } from '@nestjs/common';
import { CallersModule } from '../callers/callers.module.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { CachedPlanAnswers } from './answers/cached-plan-answers.js';
import { CachedPlanStreams } from './streams/cached-plan-streams.js';
import { MemoryPlanHits } from './answers/memory-plan-hits.js';
import { ChatReplyService } from './chat-reply.service.js';
import { ChatController } from './chat.controller.js';
import { GenerationModule } from './generation/generation.module.js';
import { SemanticVerificationModule } from './semantic/semantic-verification.module.js';
import { PlanRequestContexts } from './requests/plan-request-context.js';
import { SemanticMatchingModule } from './semantic/semantic-matching.module.js';
import { PlanStreams } from './streams/plan-streams.js';
import { TaskPlanCacheModule } from './task-plan-cache/task-plan-cache.module.js';
import { TaskPlanService } from './task-plan.service.js';

/** Task plans and chat replies from the planner agent, over JSON and server-sent events. */
@Module({
  imports: [
    PlanCacheModule,
    TaskPlanCacheModule,
    CallersModule,
    SemanticMatchingModule,
    GenerationModule,
    SemanticVerificationModule,
  ],
  controllers: [ChatController],
  providers: [
    TaskPlanService,
    ChatReplyService,
    PlanRequestContexts,
    PlanStreams,
    MemoryPlanHits,
    CachedPlanAnswers,
    CachedPlanStreams,
  ],
})
export class ChatModule {}
