import { Module } from '@nestjs/common';
import { CallersModule } from '../callers/callers.module.js';
import { PlanCacheModule } from '../plan-cache/plan-cache.module.js';
import { CachedPlanAnswers } from './cached-plan-answers.js';
import { ChatReplyService } from './chat-reply.service.js';
import { ChatController } from './chat.controller.js';
import { plannerProvider } from './planner/planner.provider.js';
import { TaskPlanService } from './task-plan.service.js';

@Module({
  imports: [PlanCacheModule, CallersModule],
  controllers: [ChatController],
  providers: [plannerProvider, TaskPlanService, ChatReplyService, CachedPlanAnswers],
})
export class ChatModule {}
