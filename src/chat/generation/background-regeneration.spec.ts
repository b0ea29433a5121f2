import { jest } from '@jest/globals';
import type { Caller } from '../../callers/caller.js';
import type { GenerationAdmission, GenerationPermit } from '../../callers/generation-admission.js';
import type { AppConfig } from '../../config/app-config.js';
import type { TaskPlanCache } from '../task-plan-cache/task-plan-cache.js';
import type { TaskPlanIdentity } from '../task-plan-cache/task-plan-key.js';
import type { TaskPlanPolicy } from '../task-plan-cache/task-plan-policy.js';
import { BackgroundRegeneration } from './background-regeneration.js';
import type { TaskPlanLoader } from './task-plan-loader.js';

const identity = { key: 'plan:1', goal: 'a goal', tenant: 'acme' } as TaskPlanIdentity;
const caller = { kind: 'authenticated', tenant: 'acme' } as Caller;
const options = { policy: {} as TaskPlanPolicy, store: false, replacing: false };

function regenerationWith(cache: Partial<TaskPlanCache>) {
  const permit = { release: jest.fn(), refund: jest.fn(async () => undefined) } as unknown as GenerationPermit;
  const admission = {
    admit: jest.fn(async () => permit),
    admitInBackground: jest.fn(async () => permit),
    backgroundPermit: jest.fn(async () => permit),
  };
  const loader = { promptTokens: () => 40, loadInBackground: jest.fn() };
  const regeneration = new BackgroundRegeneration(
    loader as unknown as TaskPlanLoader,
    cache as TaskPlanCache,
    admission as unknown as GenerationAdmission,
    { planner: { timeoutMs: 1000 } } as AppConfig,
  );
  return { regeneration, permit, admission, loader };
}

describe('BackgroundRegeneration', () => {
  it('gives the planner slot, the unit and the reserved tokens back when the cache fails before a generation holds them', async () => {
    const stamp = jest.fn(async () => Promise.reject(new Error('Redis went away')));
    const { regeneration, permit, loader } = regenerationWith({ stamp });
    await expect(regeneration.regenerate(identity, { goal: 'a goal' }, { ...options, claimed: false })).rejects.toThrow(
      'Redis went away',
    );
    expect(loader.loadInBackground).not.toHaveBeenCalled();
    expect(permit.release).toHaveBeenCalledTimes(1);
    expect(permit.refund).toHaveBeenCalledTimes(1);
  });

  it('charges the caller it works for on a free slot only, never the queue clients wait in', async () => {
    const { regeneration, admission } = regenerationWith({
      stamp: jest.fn(async () => Promise.reject(new Error('x'))),
    });
    await regeneration
      .regenerate(identity, { goal: ' a goal ' }, { ...options, payer: caller, claimed: false })
      .catch(() => 0);
    expect(admission.admitInBackground).toHaveBeenCalledWith(caller, 40);
    expect(admission.admit).not.toHaveBeenCalled();
    expect(admission.backgroundPermit).not.toHaveBeenCalled();
  });

  it("charges a plan's own tenant when nobody asked for it, and skips without a permit", async () => {
    const { regeneration, admission, loader } = regenerationWith({});
    admission.backgroundPermit.mockResolvedValueOnce(undefined as unknown as GenerationPermit);
    await expect(regeneration.regenerate(identity, { goal: 'a goal' }, { ...options, claimed: true })).resolves.toBe(
      undefined,
    );
    expect(admission.backgroundPermit).toHaveBeenCalledWith('acme', 40);
    expect(loader.loadInBackground).not.toHaveBeenCalled();
  });

  it('skips, and gives the permit back, when another instance holds the claim', async () => {
    const claimRefresh = jest.fn(async () => false);
    const { regeneration, permit, loader } = regenerationWith({ claimRefresh });
    await expect(regeneration.regenerate(identity, { goal: 'a goal' }, { ...options, claimed: true })).resolves.toBe(
      undefined,
    );
    expect(loader.loadInBackground).not.toHaveBeenCalled();
    expect(permit.release).toHaveBeenCalledTimes(1);
    expect(permit.refund).toHaveBeenCalledTimes(1);
  });
});
