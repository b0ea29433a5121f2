import { startService } from '../support/processes.js';
import type { StressResult } from '../support/results.js';

const CLIENTS = 50;
const SIGTERM_AFTER_MS = 1500;

type Outcome = 'ok' | 'non2xx' | 'refused' | 'dropped';

function outcomeOf(error: unknown): Outcome {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  // Refused at connect: the request was never sent, any client or balancer may retry it elsewhere.
  return code === 'ECONNREFUSED' ? 'refused' : 'dropped';
}

/**
 * SIGTERM while 50 clients send cached reads and slow generations over kept-alive connections:
 * every request the instance accepted is answered; after its listener closes, new connections are
 * refused (never reset halfway).
 */
export async function sigtermUnderLoad(): Promise<StressResult> {
  const service = await startService({ PLANNER_BUILTIN_DELAY_MS: '800', SHUTDOWN_DRAIN_MS: '3000' });
  const counts: Record<Outcome, number> = { ok: 0, non2xx: 0, refused: 0, dropped: 0 };
  let generationsAnswered = 0;
  let stopped = false;
  const client = async (index: number) => {
    for (let request = 0; !stopped; request++) {
      const slow = (index + request) % 10 === 0;
      try {
        const response = slow
          ? await fetch(`${service.url}/api/chat/plan`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ goal: `A slow generation ${index}-${request}` }),
            })
          : await fetch(`${service.url}/api/plans`);
        await response.arrayBuffer();
        if (response.status === 200) {
          counts.ok++;
          if (slow) generationsAnswered++;
        } else counts.non2xx++;
      } catch (error) {
        const outcome = outcomeOf(error);
        counts[outcome]++;
        if (outcome === 'refused') return;
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
  await new Promise((resolve) => setTimeout(resolve, SIGTERM_AFTER_MS));
  service.process.signal('SIGTERM');
  const exitCode = await service.process.exited;
  stopped = true;
  await Promise.all(clients);
  await service.stop();
  return {
    name: 'SIGTERM under load (50 clients, reads and 0.8 s generations)',
    outcome:
      `${counts.ok} answered 200 (${generationsAnswered} generations), ${counts.non2xx} other statuses, ` +
      `${counts.dropped} dropped, ${counts.refused} refused at connect after the listener closed; exit code ${exitCode}`,
    passed: counts.dropped === 0 && counts.non2xx === 0 && exitCode === 0 && counts.ok > 0,
  };
}
