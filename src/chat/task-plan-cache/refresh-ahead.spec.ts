import { RefreshAhead } from './refresh-ahead.js';

describe('RefreshAhead', () => {
  let now = 0;
  const gate = () => new RefreshAhead(2, () => now);

  beforeEach(() => (now = 0));

  it('starts one refresh per key, and no more than its concurrency', () => {
    const refreshes = gate();
    expect(refreshes.tryStart('a')).toBe(true);
    expect(refreshes.tryStart('a')).toBe(false);
    expect(refreshes.tryStart('b')).toBe(true);
    expect(refreshes.tryStart('c')).toBe(false);
    refreshes.finished('a', 'refreshed');
    expect(refreshes.tryStart('c')).toBe(true);
  });

  it('pauses after a planner failure, longer after each, and resets after a success', () => {
    const refreshes = gate();
    refreshes.tryStart('a');
    refreshes.finished('a', 'failed');
    expect(refreshes.tryStart('a')).toBe(false);
    now = 5_000;
    expect(refreshes.tryStart('a')).toBe(true);
    refreshes.finished('a', 'failed');
    now = 14_999;
    expect(refreshes.tryStart('a')).toBe(false);
    now = 15_000;
    expect(refreshes.tryStart('a')).toBe(true);
    refreshes.finished('a', 'refreshed');
    refreshes.plannerFailed();
    now = 20_000;
    expect(refreshes.tryStart('b')).toBe(true);
  });

  it('lets a skipped refresh (another instance has it) change nothing but the slot', () => {
    const refreshes = gate();
    refreshes.tryStart('a');
    refreshes.finished('a', 'skipped');
    expect(refreshes.running).toBe(0);
    expect(refreshes.tryStart('a')).toBe(true);
  });
});
