import { startService } from '../support/processes.js';
import type { StressResult } from '../support/results.js';

const CLIENTS = 50;
const SIGTERM_AFTER_MS = 1500;
/** The service keeps serving this long after SIGTERM; the clients' balancer polls readiness faster. */
const SHUTDOWN_DELAY_MS = 1000;
const READINESS_POLL_MS = 100;

type Outcome = 'ok' | 'non2xx' | 'refused' | 'dropped';

const dropCauses = new Set<string>();

function outcomeOf(error: unknown): Outcome {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  if (code !== 'ECONNREFUSED') dropCauses.add(`${code ?? 'no code'}: ${cause?.message ?? String(error)}`);
  // Refused at connect: the request was never sent, any client or balancer may retry it elsewhere.
  return code === 'ECONNREFUSED' ? 'refused' : 'dropped';
}

/**
 * SIGTERM while 50 clients send cached reads and slow generations over kept-alive connections:
 * every request the instance accepted is answered; after its listener closes, new connections are
 * refused (never reset halfway).
 */
export async function sigtermUnderLoad(): Promise<StressResult> {
  const service = await startService({
    PLANNER_BUILTIN_DELAY_MS: '800',
    SHUTDOWN_DRAIN_MS: '3000',
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    // One anonymous address makes every request: the default generation limit would refuse most.
    LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '1000000',
  });
  const counts: Record<Outcome, number> = { ok: 0, non2xx: 0, refused: 0, dropped: 0 };
  let generationsAnswered = 0;
  let stopped = false;
  // What a load balancer does: it stops routing to an instance whose readiness fails.
  let routable = true;
  const balancer = (async () => {
    while (routable && !stopped) {
      const ready = await fetch(`${service.url}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (!ready) routable = false;
      await new Promise((resolve) => setTimeout(resolve, READINESS_POLL_MS));
    }
  })();
  const client = async (index: number) => {
    for (let request = 0; !stopped && routable; request++) {
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
  await Promise.all([...clients, balancer]);
  await service.stop();
  return {
    name: 'SIGTERM under load (50 clients behind a readiness-polling balancer, reads and 0.8 s generations)',
    outcome:
      `${counts.ok} answered 200 (${generationsAnswered} generations), ${counts.non2xx} other statuses, ` +
      `${counts.dropped} dropped${dropCauses.size ? ` (${[...dropCauses].join('; ')})` : ''}, ` +
      `${counts.refused} refused at connect; exit code ${exitCode}`,
    passed: counts.dropped === 0 && counts.non2xx === 0 && exitCode === 0 && counts.ok > 0,
  };
}
