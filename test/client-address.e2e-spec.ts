import { assignVariant } from '../src/chat/task-plan-cache/experiments/variant-assignment.js';
import { useExperimentFile, type ExperimentFile } from './support/experiment-file.js';
import { useTestApp, type TestApp } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';
import { countFastAnswers } from './support/fast-answers.js';

const EXPERIMENT: ExperimentFile = {
  name: 'by-address',
  variants: [
    { name: 'control', weight: 1 },
    { name: 'treatment', weight: 1 },
  ],
};
const variantOf = (address: string) => EXPERIMENT.variants[assignVariant(EXPERIMENT.name, address, [1, 1])].name;

/** An address the experiment puts in another variant than the test client's own (127.0.0.1). */
const forged = Array.from({ length: 50 }, (_, i) => `203.0.113.${i + 1}`).find(
  (address) => variantOf(address) !== variantOf('127.0.0.1'),
)!;

const fastAnswerCounters = new WeakMap<TestApp, () => number>();
let goals = 0;

/**
 * The variant a request from `forwardedFor` is given, asked twice: once on the full path (a plan
 * not cached yet, through Fastify and NestJS) and once answered from memory (the front door, before
 * Fastify makes its request): both must tell the client's address alike.
 */
const variantSeen = async (app: TestApp, forwardedFor: string) => {
  const goal = `who am I ${++goals}`;
  let fastAnswers = fastAnswerCounters.get(app);
  if (!fastAnswers) fastAnswerCounters.set(app, (fastAnswers = countFastAnswers(app)));
  const full = await askPlan(app, goal, { 'x-forwarded-for': forwardedFor }).expect(200);
  const before = fastAnswers();
  const fromMemory = await askPlan(app, goal, { 'x-forwarded-for': forwardedFor }).expect(200);
  expect([full.headers['x-cache'], fromMemory.headers['x-cache'], fastAnswers() - before]).toEqual(['MISS', 'HIT', 1]);
  expect(fromMemory.headers['x-cache-variant']).toBe(full.headers['x-cache-variant']);
  return full.headers['x-cache-variant'];
};

describe('The address of a client, behind proxies or not', () => {
  const file = useExperimentFile(EXPERIMENT);

  describe('with TRUST_PROXY unset', () => {
    const app = useTestApp(() => ({ PLAN_CACHE_EXPERIMENTS_FILE: file, PLAN_CACHE_MIN_GEN_TIME: '0' }));

    it('ignores X-Forwarded-For: a client cannot forge its address to pick its variant', async () => {
      expect(await variantSeen(app(), forged)).toBe(variantOf('127.0.0.1'));
    });
  });

  describe('with TRUST_PROXY naming the proxy in front', () => {
    const app = useTestApp(() => ({
      PLAN_CACHE_EXPERIMENTS_FILE: file,
      PLAN_CACHE_MIN_GEN_TIME: '0',
      TRUST_PROXY: '127.0.0.1',
    }));

    it('takes the address the trusted proxy forwarded', async () => {
      expect(await variantSeen(app(), forged)).toBe(variantOf(forged));
    });

    it('takes no address from beyond the proxy it trusts', async () => {
      // The client wrote the first address itself; the trusted proxy appended the real one.
      expect(await variantSeen(app(), `10.9.9.9, ${forged}`)).toBe(variantOf(forged));
    });
  });

  describe('with TRUST_PROXY=1 (one hop)', () => {
    const app = useTestApp(() => ({
      PLAN_CACHE_EXPERIMENTS_FILE: file,
      PLAN_CACHE_MIN_GEN_TIME: '0',
      TRUST_PROXY: '1',
    }));

    it('takes the address added by the one proxy', async () => {
      expect(await variantSeen(app(), `10.9.9.9, ${forged}`)).toBe(variantOf(forged));
    });
  });
});
