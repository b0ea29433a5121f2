import { setTimeout as sleep } from 'node:timers/promises';
import { GenerationCancelledError, PlannerTimeoutError, PlannerUnavailableError } from '../planner/planner.errors.js';
import type { PlannerAnswer } from '../planner/planner.js';
import { Generation, type GenerationRun } from './generation.js';

/** A planner call that emits the given chunks, then waits for `finish` or the signal. */
function controllable(chunks: string[]) {
  let finish!: () => void;
  let seenSignal: AbortSignal | undefined;
  const run: GenerationRun = ({ signal, onChunk }) =>
    new Promise<PlannerAnswer>((resolve, reject) => {
      seenSignal = signal;
      chunks.forEach(onChunk);
      finish = () =>
        resolve({
          text: chunks.join(''),
          truncated: false,
          usage: { input_tokens: 1, output_tokens: 2, estimated: false },
        });
      signal.addEventListener('abort', () => reject(signal.reason as Error));
    });
  return { run, finish: () => finish(), signal: () => seenSignal! };
}

describe('Generation', () => {
  it('replays the chunks so far to a late joiner, then the live ones', async () => {
    let emit!: (text: string) => void;
    let finish!: () => void;
    const generation = new Generation(
      ({ onChunk }) =>
        new Promise((resolve) => {
          emit = onChunk;
          finish = () =>
            resolve({ text: 'abc', truncated: false, usage: { input_tokens: 1, output_tokens: 2, estimated: false } });
        }),
      10_000,
    );
    const early: string[] = [];
    generation.join((t) => early.push(t));
    emit('a');
    emit('b');
    const late: string[] = [];
    generation.join((t) => late.push(t));
    emit('c');
    finish();
    expect((await generation.result).text).toBe('abc');
    expect(early).toEqual(['a', 'b', 'c']);
    expect(late).toEqual(['a', 'b', 'c']);
  });

  it('keeps running while one client remains, and is cancelled when the last one leaves', async () => {
    const call = controllable(['x']);
    const generation = new Generation(call.run, 10_000);
    const leaveA = generation.join();
    const leaveB = generation.join();
    leaveA();
    leaveA(); // leaving twice counts once
    expect(call.signal().aborted).toBe(false);
    leaveB();
    expect(call.signal().aborted).toBe(true);
    expect(generation.abandoned).toBe(true);
    await expect(generation.result).rejects.toBeInstanceOf(GenerationCancelledError);
  });

  it('is not cancelled when its clients leave after it finished', async () => {
    const call = controllable(['done']);
    const generation = new Generation(call.run, 10_000);
    const leave = generation.join();
    call.finish();
    await generation.result;
    leave();
    expect(call.signal().aborted).toBe(false);
  });

  it('turns its deadline into PlannerTimeoutError and aborts the call', async () => {
    const call = controllable([]);
    const generation = new Generation(call.run, 20);
    generation.join();
    await expect(generation.result).rejects.toBeInstanceOf(PlannerTimeoutError);
    expect(call.signal().aborted).toBe(true);
  });

  it('turns an unexpected failure into PlannerUnavailableError', async () => {
    const generation = new Generation(async () => Promise.reject(new TypeError('socket hang up')), 10_000);
    await expect(generation.result).rejects.toThrow(new PlannerUnavailableError('The planner failed: socket hang up'));
  });

  it('measures how long the call took', async () => {
    const generation = new Generation(async () => {
      await sleep(30);
      return { text: 'plan', truncated: false, usage: { input_tokens: 1, output_tokens: 2, estimated: false } };
    }, 10_000);
    expect((await generation.result).generationMs).toBeGreaterThanOrEqual(25);
  });

  it('lets a client that left while it was being admitted leave at once, cancelling a call nobody else waits for', async () => {
    const { run, signal } = controllable(['a']);
    const generation = new Generation(run, 10_000);
    const gone = new AbortController();
    gone.abort();
    generation.follow(gone.signal);
    await expect(generation.result).rejects.toBeInstanceOf(GenerationCancelledError);
    expect(signal().aborted).toBe(true);
  });
});
