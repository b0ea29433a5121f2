import { jest } from '@jest/globals';
import type { GenerationAdmission, GenerationPermit } from '../../callers/generation-admission.js';
import type { AppConfig } from '../../config/app-config.js';
import type { PlanRequestContext } from '../plan-request-context.js';
import type { CallerTags } from '../task-plan-cache/caller-tag.js';
import type { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { TaskPlanGenerations } from '../task-plan-generations.js';
import type { EntryThresholds } from './entry-thresholds.js';
import type { GoalEmbeddings } from './goal-embeddings.js';
import type { PlanAgreement } from './plan-agreement.js';
import type { SemanticCandidate } from './semantic-matcher.js';
import { SemanticVerifier } from './semantic-verifier.js';
import type { SemanticMetrics } from './semantic.metrics.js';

describe('SemanticVerifier', () => {
  it('gives the planner slot, the unit and the reserved tokens back when the cache fails before a generation holds them', async () => {
    const permit = { release: jest.fn(), refund: jest.fn(async () => undefined) } as unknown as GenerationPermit;
    const admission = { admit: jest.fn(async () => permit) } as unknown as GenerationAdmission;
    const cache = {
      stamp: jest.fn(async () => Promise.reject(new Error('Redis went away'))),
    } as unknown as TaskPlanCache;
    const generations = { promptTokens: () => 40, forKey: jest.fn() } as unknown as TaskPlanGenerations;
    const verifier = new SemanticVerifier(
      {} as EntryThresholds,
      {} as PlanAgreement,
      generations,
      cache,
      {} as GoalEmbeddings,
      admission,
      {} as SemanticMetrics,
      {} as CallerTags,
      { semantic: { verifyRate: 1 } } as AppConfig,
    );
    const context = { caller: { kind: 'authenticated' }, policy: {} } as unknown as PlanRequestContext;
    verifier.afterHit(
      { key: 'plan:1', goal: 'a goal' } as TaskPlanIdentity,
      { goal: 'a goal' },
      {} as SemanticCandidate,
      context,
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(admission.admit).toHaveBeenCalledTimes(1);
    expect(generations.forKey).not.toHaveBeenCalled();
    expect(permit.release).toHaveBeenCalledTimes(1);
    expect(permit.refund).toHaveBeenCalledTimes(1);
  });
});
