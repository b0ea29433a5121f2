import { jest } from '@jest/globals';
import { PlannerBusyError } from './limit-refusal.error.js';
import { PlannerSlots } from './planner-slots.js';

describe('PlannerSlots', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('gives slots up to the concurrency, then queues in order, then refuses when the queue is full', async () => {
    const slots = new PlannerSlots({ concurrency: 2, queueMax: 1, queueTimeoutMs: 1000 });
    const first = await slots.acquire();
    await slots.acquire();
    expect(slots.inUse).toBe(2);
    const queued = slots.acquire();
    expect(slots.waiting).toBe(1);
    await expect(slots.acquire()).rejects.toMatchObject({ reason: 'planner_queue_full', status: 503 });
    first();
    first(); // a slot is given back once, however often release is called
    await expect(queued).resolves.toEqual(expect.any(Function));
    expect(slots.inUse).toBe(2);
    expect(slots.waiting).toBe(0);
  });

  it('refuses a waiter after the queue timeout and forgets it', async () => {
    const slots = new PlannerSlots({ concurrency: 1, queueMax: 5, queueTimeoutMs: 1000 });
    const release = await slots.acquire();
    const waiting = slots.acquire();
    jest.advanceTimersByTime(1001);
    await expect(waiting).rejects.toBeInstanceOf(PlannerBusyError);
    await expect(waiting).rejects.toMatchObject({ reason: 'planner_queue_timeout' });
    expect(slots.waiting).toBe(0);
    release();
    expect(slots.inUse).toBe(0);
  });

  it('gives background work a slot only when one is free, without queueing', async () => {
    const slots = new PlannerSlots({ concurrency: 1, queueMax: 5, queueTimeoutMs: 1000 });
    const release = slots.tryAcquire();
    expect(release).toBeDefined();
    expect(slots.tryAcquire()).toBeUndefined();
    expect(slots.waiting).toBe(0);
    release!();
    expect(slots.tryAcquire()).toBeDefined();
  });
});
