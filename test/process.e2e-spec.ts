import { eventually } from './support/eventually.js';
import { freePort } from './support/free-port.js';
import { fetchPlan } from './support/plan-requests.js';
import { readSse } from './support/sse-client.js';
import { buildService, ServiceProcess } from './support/service-process.js';
import { temporaryDataDir } from './support/test-app.js';

const ADMIN_TOKEN = 'a-production-admin-token-of-32-chars!';

describe('The service as a process in production mode', () => {
  const data = temporaryDataDir();
  let service: ServiceProcess;
  let base: string;

  beforeAll(async () => {
    buildService();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = new ServiceProcess({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: data.dir,
      ADMIN_TOKEN,
      // A generation outlasts the drain window, which leaves a loaded machine room to ask for readiness in it.
      PLANNER_BUILTIN_DELAY_MS: '4000',
      PLAN_CACHE_MIN_GEN_TIME: '0',
      SHUTDOWN_DRAIN_MS: '2000',
      LOG_LEVEL: 'info',
    });
    await service.listening();
  }, 60_000);

  afterAll(() => {
    service?.kill();
    data.remove();
  });

  /** The JSON log lines written so far. */
  const logEntries = () =>
    service.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, any>);
  /** Waits for the log line of the request `requestId`: every line written before it is in by then. */
  const loggedRequest = (requestId: string) =>
    eventually(() => logEntries().some((entry) => entry.req?.id === requestId), 5_000, `the log line of ${requestId}`);
  /** A request the service logs (a refused write), as a mark in its log. */
  const refusedWrite = (requestId: string) =>
    fetch(`${base}/api/plans`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'x-request-id': requestId,
      },
      body: JSON.stringify({ name: '' }),
    });

  it('logs JSON lines carrying the request id, and never the bearer token', async () => {
    const response = await refusedWrite('req-77');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toBe('req-77');
    await loggedRequest('req-77');
    const logLines = service.lines;
    expect(logLines.length).toBeGreaterThan(0);
    // Every line is JSON, the "listening on" banner included.
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, any>);
    expect(entries.find((entry) => String(entry.msg).includes('listening on'))).toMatchObject({
      port: expect.any(Number),
    });
    expect(entries.every((entry) => typeof entry.level === 'number' && typeof entry.time === 'number')).toBe(true);
    const requestLine = entries.find((entry) => entry.req?.id === 'req-77');
    expect(requestLine).toMatchObject({ res: { statusCode: 400 } });
    expect(requestLine?.req.headers.authorization).toBe('[redacted]');
    expect(service.lines.join('\n')).not.toContain(ADMIN_TOKEN);
  });

  it('logs a generated plan’s request, and not the answers the cache gives', async () => {
    const ask = (requestId: string) => fetchPlan(base, 'log my generation only', { 'x-request-id': requestId });
    expect((await ask('plan-miss')).headers.get('x-cache')).toBe('MISS');
    expect((await ask('plan-hit')).headers.get('x-cache')).toBe('HIT');
    // A logged request after the hit: once its line is in, a line of the hit would be too.
    await refusedWrite('after-the-hit');
    await loggedRequest('after-the-hit');
    const requestIds = logEntries().map((entry) => entry.req?.id as string | undefined);
    expect(requestIds).toContain('plan-miss');
    expect(requestIds).not.toContain('plan-hit');
  });

  it('logs a refused task plan, whose successful requests are silent, with its request id', async () => {
    const refused = await fetchPlan(base, 'plan for a stranger', {
      'x-request-id': 'plan-refused',
      authorization: 'Bearer not-a-token',
      'proxy-authorization': 'Basic c2VjcmV0OnNlY3JldA==',
    });
    expect(refused.status).toBe(401);
    await loggedRequest('plan-refused');
    const line = logEntries().find((entry) => entry.req?.id === 'plan-refused');
    expect(line).toMatchObject({ level: 40, res: { statusCode: 401 } });
    expect(line?.req.headers).toMatchObject({ authorization: '[redacted]', 'proxy-authorization': '[redacted]' });
  });

  it('drains on SIGTERM: not ready, requests in flight answered, streams told, exit 0', async () => {
    const cachedGoal = 'replayed from memory during shutdown';
    const generated = await fetchPlan(base, cachedGoal);
    expect(generated.headers.get('x-cache')).toBe('MISS');
    const inFlight = fetchPlan(base, 'finish me during shutdown');
    let streaming!: () => void;
    const started = new Promise<void>((resolve) => (streaming = resolve));
    const stream = readSse(`${base}/api/chat/stream?goal=streamed%20during%20shutdown`, {}, () => streaming());
    await started; // the stream is being written (and the request sent before it is in)

    service.signal('SIGTERM');
    // While the streams drain, the load balancer is told to stop (once the signal is handled).
    let ready!: Response;
    await eventually(async () => (ready = await fetch(`${base}/health/ready`)).status === 503, 5_000, 'not ready');
    expect(await ready.json()).toMatchObject({ message: 'Not ready: shutting down' });
    // A cached stream is still answered whole from memory, and closes its connection.
    const replayed = await readSse(`${base}/api/chat/stream?${new URLSearchParams({ goal: cachedGoal }).toString()}`);
    expect(replayed.headers.get('x-cache')).toBe('HIT');
    expect(replayed.headers.get('connection')).toBe('close');
    expect(replayed.events.map((event) => event.event).filter((name) => name !== 'chunk')).toEqual(['step', 'done']);
    expect(replayed.raw).toContain(`retry: 86400000\nevent: done\n`);

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as { plan: string }).plan).toMatch(/^Plan: finish me during shutdown/);
    const streamed = await stream;
    expect(streamed.events.at(-1)).toEqual({
      event: 'error',
      data: {
        code: 'shutting_down',
        message: 'The service is shutting down; reconnect to continue',
        request_id: streamed.headers.get('x-request-id'),
      },
    });
    await expect(fetch(`${base}/health/live`)).rejects.toThrow(); // the drain is over: no new connections
    expect(await service.exited).toBe(0);
  });
});

describe('The service as a process, given URLs with passwords', () => {
  const data = temporaryDataDir();
  afterAll(() => data.remove());

  it('never prints a password of a URL, whether start-up fails or the service runs degraded', async () => {
    buildService();
    const failing = new ServiceProcess({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      ADMIN_TOKEN,
      DATABASE_URL: 'postgres://plans:db-hunter2@127.0.0.1:9/plans',
      LOG_LEVEL: 'info',
    });
    expect(await failing.exited).toBe(1);
    const failed = failing.lines.join('\n');
    expect(failed).toContain('Start-up failed');
    expect(failed).not.toContain('db-hunter2');

    const degraded = new ServiceProcess({
      NODE_ENV: 'production',
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      ADMIN_TOKEN,
      DATA_DIR: data.dir,
      PLAN_CACHE_REDIS_ENABLED: 'true',
      REDIS_URL: 'redis://cache-user:redis-hunter2@127.0.0.1:9',
      LOG_LEVEL: 'info',
    });
    try {
      await degraded.listening(60_000);
      const lines = degraded.lines.join('\n');
      expect(lines).toContain('redis://***@127.0.0.1:9');
      expect(lines).not.toContain('redis-hunter2');
    } finally {
      degraded.kill();
    }
  }, 90_000);

  it('refuses an invalid URL naming the variable, without its password', async () => {
    const refused = new ServiceProcess({
      NODE_ENV: 'production',
      ADMIN_TOKEN,
      REDIS_URL: 'redis://cache-user:redis-hunter2@ bad host',
    });
    expect(await refused.exited).toBe(1);
    const output = refused.lines.join('\n');
    expect(output).toContain('REDIS_URL');
    expect(output).not.toContain('redis-hunter2');
  });
});

describe('The service as a process in production, verifying tokens', () => {
  beforeAll(() => buildService(), 60_000);

  it.each([
    ['AUTH_ISSUER', { AUTH_AUDIENCE: 'plan-cache' }],
    ['AUTH_AUDIENCE', { AUTH_ISSUER: 'https://id.example' }],
  ])('refuses to start without %s, naming it', async (variable, settings) => {
    const refused = new ServiceProcess({
      NODE_ENV: 'production',
      ADMIN_TOKEN,
      AUTH_JWT_SECRET: 'a-production-jwt-secret-of-32-chars!',
      ...settings,
    });
    try {
      // A service that starts anyway fails the test at once instead of running on.
      const outcome = await Promise.race([refused.exited, refused.listening(30_000).then(() => 'listening')]);
      expect(outcome).toBe(1);
      expect(refused.lines.join('\n')).toContain(`${variable} must be set in production`);
    } finally {
      refused.kill();
    }
  });
});
