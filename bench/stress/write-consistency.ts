import { adminHeaders } from '../support/processes.js';
import type { StressResult } from '../support/results.js';
import { startCluster } from './cluster.js';

const SECONDS = 6;
const READERS = 30;
/** The design's bound on how long another instance may show the list from before a write. */
const BUS_DELAY_MS = 100;
const PLAN_ID = 1;

interface Ack {
  at: number;
  price: number;
}

interface Read {
  startedAt: number;
  price: number;
}

/**
 * Writes to one plan's price (always higher) on the 3 instances in turn, while readers list the
 * plans on all of them: a read that starts more than the bus delay after a write's
 * acknowledgement and shows an older price is a violation.
 */
export async function writeConsistency(): Promise<StressResult> {
  const cluster = await startCluster(3);
  const { instances } = cluster;
  try {
    const acks: Ack[] = [];
    const reads: Read[] = [];
    let end = performance.now() + SECONDS * 1000;
    // The first failure stops every loop: none goes on asking a cluster that is being stopped.
    const stopOnFailure = (error: unknown) => {
      end = 0;
      throw error;
    };
    const writer = async () => {
      for (let price = 100; performance.now() < end; price++) {
        const instance = instances[price % instances.length];
        const response = await fetch(`${instance.url}/api/plans/${PLAN_ID}`, {
          method: 'PATCH',
          headers: adminHeaders,
          body: JSON.stringify({ price: `${price}.00` }),
        });
        if (response.status !== 200) throw new Error(`a write failed: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
        acks.push({ at: performance.now(), price });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const reader = async (index: number) => {
      const instance = instances[index % instances.length];
      while (performance.now() < end) {
        const startedAt = performance.now();
        const response = await fetch(`${instance.url}/api/plans`);
        if (!response.ok) throw new Error(`a read failed: ${response.status} ${await response.text()}`);
        const plans = (await response.json()) as { id: number; price: string }[];
        const plan = plans.find((candidate) => candidate.id === PLAN_ID);
        if (plan) reads.push({ startedAt, price: Number(plan.price) });
      }
    };
    await Promise.all(
      [writer(), ...Array.from({ length: READERS }, (_, index) => reader(index))].map((loop) =>
        loop.catch(stopOnFailure),
      ),
    );

    let violations = 0;
    let acknowledged = 0;
    let next = 0;
    for (const read of [...reads].sort((a, b) => a.startedAt - b.startedAt)) {
      while (next < acks.length && acks[next].at + BUS_DELAY_MS <= read.startedAt) acknowledged = acks[next++].price;
      if (read.price < acknowledged) violations++;
    }
    return {
      name: 'Billing writes under read load across 3 instances',
      outcome: `${acks.length} writes, ${reads.length} reads, ${violations} reads showed a list older than an acknowledged write (bus delay ${BUS_DELAY_MS} ms)`,
      passed: violations === 0 && acks.length > 0 && reads.length > 0,
    };
  } finally {
    await cluster.stop();
  }
}
