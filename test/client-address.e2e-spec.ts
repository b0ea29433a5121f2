import { assignVariant } from '../src/chat/task-plan-cache/experiments/variant-assignment.js';
import { useExperimentFile, type ExperimentFile } from './support/experiment-file.js';
import { useTestApp, type TestApp } from './support/test-app.js';
import { askPlan } from './support/plan-requests.js';

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

const variantSeen = async (app: TestApp, forwardedFor: string) =>
  (await askPlan(app, 'who am I', { 'x-forwarded-for': forwardedFor }).expect(200)).headers['x-cache-variant'];

describe('The address of a client, behind proxies or not', () => {
  const file = useExperimentFile(EXPERIMENT);

  describe('with TRUST_PROXY unset', () => {
    const app = useTestApp(() => ({ PLAN_CACHE_EXPERIMENTS_FILE: file }));

    it('ignores X-Forwarded-For: a client cannot forge its address to pick its variant', async () => {
      expect(await variantSeen(app(), forged)).toBe(variantOf('127.0.0.1'));
    });
  });

  describe('with TRUST_PROXY naming the proxy in front', () => {
    const app = useTestApp(() => ({ PLAN_CACHE_EXPERIMENTS_FILE: file, TRUST_PROXY: '127.0.0.1' }));

    it('takes the address the trusted proxy forwarded', async () => {
      expect(await variantSeen(app(), forged)).toBe(variantOf(forged));
    });

    it('takes no address from beyond the proxy it trusts', async () => {
      // The client wrote the first address itself; the trusted proxy appended the real one.
      expect(await variantSeen(app(), `10.9.9.9, ${forged}`)).toBe(variantOf(forged));
    });
  });

  describe('with TRUST_PROXY=1 (one hop)', () => {
    const app = useTestApp(() => ({ PLAN_CACHE_EXPERIMENTS_FILE: file, TRUST_PROXY: '1' }));

    it('takes the address added by the one proxy', async () => {
      expect(await variantSeen(app(), `10.9.9.9, ${forged}`)).toBe(variantOf(forged));
    });
  });
});
