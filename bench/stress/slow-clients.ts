import { connect } from 'node:net';
import { startService } from '../support/processes.js';
import type { StressResult } from '../support/results.js';

const REQUEST_TIMEOUT_MS = 1_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_000;
/** The deadline, plus Node's check period and slack for a busy machine; 0 (no deadline) would be forever. */
const CLOSED_WITHIN_MS = REQUEST_TIMEOUT_MS + 4_000;

/** What a raw TCP client was sent back, and how long after connecting the server closed it. */
async function heldOpen(url: string, sent: string): Promise<{ received: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const opened = performance.now();
  socket.write(sent);
  await new Promise((resolve) => socket.once('close', resolve));
  return { received, closedAfterMs: Math.round(performance.now() - opened) };
}

const stalledBody = (path: string) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"goal":`;

/**
 * Clients that stall (mid-body, mid-headers) or idle on a kept-alive connection: how long the
 * service keeps each, against HTTP_REQUEST_TIMEOUT_MS and HTTP_KEEP_ALIVE_TIMEOUT_MS of 1 s
 * (test/http-limits.e2e-spec.ts checks that each is closed, and with what answer).
 */
export async function slowClients(): Promise<StressResult> {
  const service = await startService({
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
  });
  try {
    const cases = {
      'stalled body (cached-answer route)': await heldOpen(service.url, stalledBody('/api/chat/plan')),
      'stalled body (ordinary route)': await heldOpen(service.url, stalledBody('/api/plans')),
      'unfinished headers': await heldOpen(service.url, 'GET /api/plans HTTP/1.1\r\nHost: localhost\r\n'),
      'idle keep-alive': await heldOpen(service.url, 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n'),
    };
    const worst = Math.max(...Object.values(cases).map(({ closedAfterMs }) => closedAfterMs));
    return {
      name: 'Slow clients closed by the deadlines (1 s request timeout, 1 s keep-alive)',
      outcome: Object.entries(cases)
        .map(([name, { closedAfterMs }]) => `${name} closed after ${closedAfterMs} ms`)
        .join('; '),
      passed: worst < CLOSED_WITHIN_MS,
    };
  } finally {
    await service.stop();
  }
}
