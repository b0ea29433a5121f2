import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/common/package-root.js';
import { AppConfig } from '../src/config/app-config.js';
import { OperationsListener } from '../src/operations/operations-listener.js';
import { freePort } from './support/free-port.js';
import { rawGet } from './support/raw-http.js';
import { buildService, ServiceProcess } from './support/service-process.js';
import { startTestApp, temporaryDataDir, useTestApp, type TestApp } from './support/test-app.js';

const METRICS_TOKEN = 'a-metrics-token-of-thirty-two-chars!';
const OPERATIONS_PATHS = ['/metrics', '/health/live', '/health/ready', '/docs', '/docs-json'];

const opsUrlOf = (test: TestApp): string => {
  const url = test.app.get(OperationsListener).url;
  if (url === undefined) throw new Error('the internal listener is not listening');
  return url;
};

/**
 * /metrics (tenant names with METRICS_TENANT_LABEL), the probes and the API docs are for
 * operators: OPS_PORT moves them to an internal listener, METRICS_TOKEN locks /metrics, and
 * tenant-labelled series are never served to whoever reaches the service port.
 */
describe('OPS_PORT: metrics, probes and docs on an internal listener', () => {
  const app = useTestApp({ OPS_PORT: '0', OPS_HOST: '127.0.0.1', METRICS_TENANT_LABEL: 'true' });

  it('answers 404 on the service port for every operations route, GET and HEAD, and still serves the API', async () => {
    for (const path of OPERATIONS_PATHS) {
      const answer = await rawGet(app().url, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      const head = await app().http.head(path);
      expect({ path, status: head.status }).toEqual({ path, status: 404 });
    }
    const notFound = await app().http.get('/metrics').expect(404);
    expect(notFound.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(notFound.text).not.toContain('plan_cache');
    await app().http.get('/api/plans').expect(200);
  });

  it('serves metrics, probes and docs on the internal listener, over the service’s own registry', async () => {
    const ops = opsUrlOf(app());
    expect(ops).not.toBe(app().url);
    await app().http.post('/api/chat/plan').send({ goal: 'Count me on the internal port' }).expect(200);
    const metrics = await fetch(`${ops}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await metrics.text();
    expect(text).toMatch(/^plan_cache_requests_total\{.*namespace="plan".*\} [1-9]/m);
    const live = await fetch(`${ops}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, expect.objectContaining({ status: 'ok' })]);
    const ready = await fetch(`${ops}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as any).details.database.status).toBe('up');
    const docs = await fetch(`${ops}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    const document = (await (await fetch(`${ops}/docs-json`)).json()) as { paths: object };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/chat/plan', '/api/plans']));
  });

  it('serves nothing else on the internal listener', async () => {
    const ops = opsUrlOf(app());
    expect((await fetch(`${ops}/api/plans`)).status).toBe(404);
    const plan = await fetch(`${ops}/api/chat/plan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ goal: 'not here' }),
    });
    expect(plan.status).toBe(404);
  });
});

describe('OPS_PORT on shutdown', () => {
  it('closes the internal listener with the service', async () => {
    const test = await startTestApp({ OPS_PORT: '0', OPS_HOST: '127.0.0.1' });
    const ops = opsUrlOf(test);
    try {
      expect((await fetch(`${ops}/health/ready`)).status).toBe(200);
      await test.close();
      await expect(fetch(`${ops}/health/live`)).rejects.toThrow();
    } finally {
      await test.close();
    }
  });
});

describe('METRICS_TOKEN: /metrics for the bearer of the token only', () => {
  const app = useTestApp({ METRICS_TOKEN, METRICS_TENANT_LABEL: 'true' });

  it('answers 401 without a token, 403 with another, and the metrics with it', async () => {
    const missing = await app().http.get('/metrics').expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.body.message).toContain('METRICS_TOKEN');
    expect(missing.text).not.toContain('plan_cache');
    const wrong = await app().http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}x`).expect(403);
    expect(wrong.text).not.toContain('plan_cache');
    await app().http.get('/metrics').set('authorization', 'Basic Zm9vOmJhcg==').expect(401);
    const read = await app().http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(read.text).toContain('plan_cache_requests_total');
  });

  it('leaves the probes open: an orchestrator probes without credentials', async () => {
    await app().http.get('/health/live').expect(200);
    await app().http.get('/health/ready').expect(200);
  });
});

describe('Tenant-labelled series are never served unprotected', () => {
  it('refuses to start with METRICS_TENANT_LABEL=true and neither OPS_PORT nor METRICS_TOKEN, naming both', () => {
    expect(() => AppConfig.from({ METRICS_TENANT_LABEL: 'true' })).toThrow(
      /METRICS_TENANT_LABEL=true .*set OPS_PORT .* or METRICS_TOKEN/,
    );
    expect(
      AppConfig.from({ METRICS_TENANT_LABEL: 'true', OPS_PORT: '9464', OPS_HOST: '127.0.0.1' }).operations.port,
    ).toBe(9464);
    expect(AppConfig.from({ METRICS_TENANT_LABEL: 'true', METRICS_TOKEN }).operations.metricsToken).toBe(METRICS_TOKEN);
  });

  it('refuses tenant labels on an internal listener that any interface reaches without METRICS_TOKEN', () => {
    // OPS_HOST defaults to HOST (0.0.0.0): the port not being published is no protection.
    for (const where of [{}, { OPS_HOST: '0.0.0.0' }, { OPS_HOST: '::' }, { OPS_HOST: '10.1.2.3' }, { HOST: '::' }]) {
      expect(() => AppConfig.from({ METRICS_TENANT_LABEL: 'true', OPS_PORT: '9464', ...where })).toThrow(
        /METRICS_TENANT_LABEL=true with OPS_PORT on OPS_HOST=\S+ \(not a loopback address\).*set METRICS_TOKEN/,
      );
    }
    for (const OPS_HOST of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) {
      expect(AppConfig.from({ METRICS_TENANT_LABEL: 'true', OPS_PORT: '9464', OPS_HOST }).operations.host).toBe(
        OPS_HOST,
      );
    }
    const tokened = AppConfig.from({ METRICS_TENANT_LABEL: 'true', OPS_PORT: '9464', METRICS_TOKEN });
    expect(tokened.operations).toMatchObject({ host: '0.0.0.0', metricsToken: METRICS_TOKEN });
    // Without tenant labels the default stays: Prometheus in another container scrapes it.
    expect(AppConfig.from({ OPS_PORT: '9464' }).operations.host).toBe('0.0.0.0');
  });

  it('refuses an internal listener on the service port, and a short metrics token in production', () => {
    expect(() => AppConfig.from({ PORT: '3000', OPS_PORT: '3000' })).toThrow(/OPS_PORT must differ from PORT/);
    expect(() =>
      AppConfig.from({ NODE_ENV: 'production', ADMIN_TOKEN: 'x'.repeat(32), METRICS_TOKEN: 'short' }),
    ).toThrow(/METRICS_TOKEN must be at least 32 characters in production \(got \(hidden\)\)/);
  });
});

/** The image's HEALTHCHECK command, as the Dockerfile says it (`CMD ["node", ...]`), run with `environment`. */
function imageHealthCheck(environment: Record<string, string>): Promise<number | null> {
  const dockerfile = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
  const command = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)?.[1];
  if (command === undefined) throw new Error('the Dockerfile has no HEALTHCHECK CMD [...]');
  const [node, ...args] = JSON.parse(command) as string[];
  expect(node).toBe('node');
  return new ServiceProcess(environment, { nodeArgs: args.slice(0, -1), script: args.at(-1) }).exited;
}

/** An address of this machine that is not the loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

describe('OPS_PORT and METRICS_TENANT_LABEL in the service as a process (production)', () => {
  const ADMIN_TOKEN = 'a-production-admin-token-of-32-chars!';
  beforeAll(() => buildService(), 120_000);

  it.each([
    ['OPS_PORT on the default HOST (0.0.0.0)', {}],
    ['OPS_PORT=0 (a free port, known only inside the process)', { OPS_PORT: '0' }],
    ...(outsideAddress === undefined ? [] : [['OPS_HOST on a non-loopback address', { OPS_HOST: outsideAddress }]]),
  ] as [string, Record<string, string>][])(
    'the image’s health check finds the live service with %s, and fails once it is gone',
    async (_case, where) => {
      const data = temporaryDataDir();
      const [port, opsPort] = [await freePort(), await freePort()];
      const environment = {
        NODE_ENV: 'production',
        PORT: String(port),
        OPS_PORT: String(opsPort),
        DATA_DIR: data.dir,
        ADMIN_TOKEN,
        ...where,
      };
      const service = new ServiceProcess(environment);
      try {
        await service.listening();
        expect(await imageHealthCheck(environment)).toBe(0);
        service.signal('SIGTERM');
        expect(await service.exited).toBe(0);
        expect(await imageHealthCheck(environment)).toBe(1);
      } finally {
        service.kill();
        data.remove();
      }
    },
    60_000,
  );

  it('probes on the internal port only, as the image’s health check does', async () => {
    const data = temporaryDataDir();
    const [port, opsPort] = [await freePort(), await freePort()];
    const service = new ServiceProcess({
      NODE_ENV: 'production',
      PORT: String(port),
      OPS_PORT: String(opsPort),
      HOST: '127.0.0.1',
      DATA_DIR: data.dir,
      ADMIN_TOKEN,
      METRICS_TENANT_LABEL: 'true',
    });
    try {
      await service.listening();
      expect(service.lines.join('\n')).toContain(`"ops_port":${opsPort}`);
      expect((await rawGet(`http://127.0.0.1:${opsPort}`, '/health/live')).status).toBe(200);
      expect((await rawGet(`http://127.0.0.1:${opsPort}`, '/metrics')).status).toBe(200);
      for (const path of OPERATIONS_PATHS) {
        expect({ path, status: (await rawGet(`http://127.0.0.1:${port}`, path)).status }).toEqual({
          path,
          status: 404,
        });
      }
      service.signal('SIGTERM');
      expect(await service.exited).toBe(0);
    } finally {
      service.kill();
      data.remove();
    }
  }, 60_000);

  it('refuses to start with tenant labels and neither OPS_PORT nor METRICS_TOKEN, naming both', async () => {
    const refused = new ServiceProcess({ NODE_ENV: 'production', ADMIN_TOKEN, METRICS_TENANT_LABEL: 'true' });
    expect(await refused.exited).toBe(1);
    const output = refused.lines.join('\n');
    expect(output).toContain('METRICS_TENANT_LABEL=true');
    expect(output).toContain('OPS_PORT');
    expect(output).toContain('METRICS_TOKEN');
  }, 30_000);
});
