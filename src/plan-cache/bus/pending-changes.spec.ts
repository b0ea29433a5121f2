import { PendingChanges, type ChangeSink } from './pending-changes.js';

/** A sink that fails while `down`, putting back what it was handed (as RedisTier does), and records what it took. */
function sink(pending: PendingChanges) {
  const taken: string[][] = [];
  let release: (() => void) | undefined;
  const state = { down: false, slow: false };
  const target: ChangeSink = {
    async invalidate(keys) {
      if (state.slow) await new Promise<void>((resolve) => (release = resolve));
      if (state.down) pending.invalidation(keys);
      else taken.push([...keys]);
    },
    async invalidateAll() {
      if (state.down) pending.clear();
      else taken.push(['*']);
    },
    async announce() {},
  };
  return { target, taken, state, release: () => release?.() };
}

describe('PendingChanges', () => {
  it('is settled only once every owed change was handed over', async () => {
    const pending = new PendingChanges();
    const { target, taken, state } = sink(pending);
    expect(pending.settled).toBe(true);
    pending.invalidation(['a', 'b']);
    expect(pending.settled).toBe(false);
    state.down = true;
    await pending.replay(target);
    expect(pending.settled).toBe(false);
    state.down = false;
    await pending.replay(target);
    expect(pending.settled).toBe(true);
    expect(taken).toEqual([['a', 'b']]);
  });

  it('is not settled while a replay is under way, and a second replay asked meanwhile is the same one', async () => {
    const pending = new PendingChanges();
    const { target, taken, state, release } = sink(pending);
    pending.invalidation(['a']);
    state.slow = true;
    const first = pending.replay(target);
    const second = pending.replay(target);
    expect(second).toBe(first);
    expect(pending.settled).toBe(false);
    release();
    await first;
    expect(pending.settled).toBe(true);
    expect(taken).toEqual([['a']]);
  });

  it('replays a clear before, and instead of, the key changes made before it', async () => {
    const pending = new PendingChanges();
    const { target, taken } = sink(pending);
    pending.invalidation(['a']);
    pending.clear();
    await pending.replay(target);
    expect(taken).toEqual([['*']]);
    expect(pending.settled).toBe(true);
  });
});
