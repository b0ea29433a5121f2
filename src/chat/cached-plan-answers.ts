import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { FastAnswerSource } from '../plan-cache/fast-answer.js';
import { TaskPlanCache } from '../plan-cache/task-plans/task-plan-cache.js';
import type { TaskPlanEntry } from '../plan-cache/task-plans/task-plan-entry.js';
import { TaskPlanKey } from '../plan-cache/task-plans/task-plan-key.js';
import { plainPlanRequest } from './dto/plain-plan-request.js';
import { cachedAnswer } from './plan-events.js';
import { wantsRegeneration } from './request-cache-control.js';

/**
 * The hit path of `POST /api/chat/plan`: a fresh plan held in this process, answered as bytes
 * serialized once per cached entry. Anything else (a miss, Redis, a stale plan, regeneration,
 * input that needs validating) is left to {@link TaskPlanService}.
 */
@Injectable()
export class CachedPlanAnswers implements FastAnswerSource {
  /** Entries are never changed in place: a replaced plan is a new entry, with its own bytes. */
  readonly #serialized = new WeakMap<TaskPlanEntry, Buffer>();

  constructor(private readonly cache: TaskPlanCache) {}

  answer(request: FastifyRequest, body: unknown): Buffer | undefined {
    if (wantsRegeneration(request.headers['cache-control'])) return undefined;
    const input = plainPlanRequest(body);
    if (!input) return undefined;
    const identity = TaskPlanKey.identify(input.goal, input.projectContext);
    const entry = this.cache.freshInMemory(identity);
    if (!entry) return undefined;
    let bytes = this.#serialized.get(entry);
    if (!bytes) {
      bytes = Buffer.from(JSON.stringify(cachedAnswer(identity, entry, 'l1', false)), 'utf8');
      this.#serialized.set(entry, bytes);
    }
    return bytes;
  }
}
