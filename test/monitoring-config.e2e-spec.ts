import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exportedSeries, metricNamesIn } from './support/promql-metrics.js';
import { sharedRedisVariables } from './support/instances.js';
import { useSharedRedis } from './support/redis-server.js';
import { describeWith, PROMTOOL } from './support/services.js';
import { useTestApp } from './support/test-app.js';

const DEPLOY = join(import.meta.dirname, '..', 'deploy');

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}
interface RuleFile {
  groups: { rules: { alert: string; expr: string }[] }[];
}

const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana', 'plan-cache.json'), 'utf8')) as Dashboard;
const rules = parse(readFileSync(join(DEPLOY, 'prometheus', 'alerts.yml'), 'utf8')) as RuleFile;

describeWith(PROMTOOL)('Alert rules checked by promtool', () => {
  const promtool = (...args: string[]) =>
    spawnSync('promtool', args, { cwd: join(DEPLOY, 'prometheus'), encoding: 'utf8' });

  it('pass promtool check rules', () => {
    const checked = promtool('check', 'rules', 'alerts.yml');
    expect(checked.stdout + checked.stderr).toContain('SUCCESS');
    expect(checked.status).toBe(0);
  });

  it('pass their unit tests (promtool test rules), one test at least per alert', () => {
    const tested = promtool('test', 'rules', 'alerts.test.yml');
    expect(tested.stdout + tested.stderr).toContain('SUCCESS');
    expect(tested.status).toBe(0);
    const tests = readFileSync(join(DEPLOY, 'prometheus', 'alerts.test.yml'), 'utf8');
    for (const { alert } of rules.groups.flatMap((group) => group.rules))
      expect(tests).toContain(`alertname: ${alert}`);
  });

  it('are what Prometheus of the compose file loads', () => {
    expect(promtool('check', 'config', 'prometheus.yml').status).toBe(0);
  });
});

describe('Dashboard and alerts read only metrics the service exports', () => {
  // Redis and semantic matching on: every metric the service can export is registered.
  const redis = useSharedRedis();
  // Jest runs a describe block's afterAll hooks in the order they are declared, an inner block's
  // before its parent's: the app, inside, closes before its Redis stops (a close waiting on a Redis
  // killed first outlived the hook's deadline on a loaded machine).
  describe('on a Redis that outlives it', () => {
    const app = useTestApp(() => ({ ...sharedRedisVariables(redis()), PLAN_CACHE_SEMANTIC_ENABLED: 'true' }));

    const expressions = [
      ...dashboard.panels.flatMap((panel) =>
        panel.targets.map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })),
      ),
      ...rules.groups.flatMap((group) =>
        group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
      ),
    ];

    it('finds the metric names in every query (the check itself works)', () => {
      expect(metricNamesIn('sum by (le) (rate(foo_bucket{a="b"}[5m])) / on (x) bar > 0.2')).toEqual([
        'foo_bucket',
        'bar',
      ]);
      expect(new Set(expressions.flatMap(({ expr }) => metricNamesIn(expr))).size).toBeGreaterThanOrEqual(15);
    });

    it('uses no metric /metrics does not export (a renamed metric fails here, not on a dashboard)', async () => {
      const exported = exportedSeries((await app().http.get('/metrics').expect(200)).text);
      const missing = expressions.flatMap(({ where, expr }) =>
        metricNamesIn(expr)
          .filter((name) => !exported.has(name))
          .map((name) => `${where}: ${name}`),
      );
      expect(missing).toEqual([]);
    });
  });
});

describe('The compose set-up exposes no operations route and no default password', () => {
  interface Service {
    image?: string;
    ports?: string[];
    environment?: Record<string, string>;
  }
  // `<<: *app` is a YAML 1.1 merge key, which Docker Compose applies.
  const compose = parse(readFileSync(join(DEPLOY, '..', 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const scrape = parse(readFileSync(join(DEPLOY, 'prometheus', 'prometheus.yml'), 'utf8')) as {
    scrape_configs: { static_configs: { targets: string[] }[] }[];
  };
  const nginx = readFileSync(join(DEPLOY, 'nginx.conf'), 'utf8');
  const dockerfile = readFileSync(join(DEPLOY, '..', 'Dockerfile'), 'utf8');
  const instances = ['app-1', 'app-2'];

  it('runs each instance with an internal listener that nothing publishes, and Prometheus scrapes only it', () => {
    for (const name of instances) {
      const opsPort = compose.services[name].environment?.OPS_PORT;
      expect(opsPort).toMatch(/^\d+$/);
      expect(compose.services[name].ports).toBeUndefined();
    }
    const targets = scrape.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    expect(targets.sort()).toEqual(instances.map((name) => `${name}:${compose.services[name].environment!.OPS_PORT}`));
  });

  it('has nginx proxy the service port only, and refuse the operations routes itself', () => {
    const upstreams = [...nginx.matchAll(/^\s*server\s+([\w.-]+:\d+)/gm)].map((match) => match[1]);
    expect(upstreams).toEqual(['app-1:3000', 'app-2:3000']);
    expect(nginx).toMatch(/location ~ \^\/\(metrics\|health\|docs\|docs-json\)\(\/\|\$\) \{\s*return 404;/);
  });

  it('publishes Prometheus and Grafana on the loopback only, and Grafana without admin/admin', () => {
    for (const name of ['prometheus', 'grafana']) {
      for (const port of compose.services[name].ports ?? [])
        expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
    }
    const grafana = compose.services.grafana.environment ?? {};
    expect(grafana.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}$/);
    expect(grafana.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
  });

  it('probes the internal listener from the image when OPS_PORT is set', () => {
    const healthcheck = dockerfile.slice(dockerfile.indexOf('HEALTHCHECK'));
    // Which listener and address it asks: test/operations-exposure.e2e-spec.ts runs it.
    expect(healthcheck).toContain('CMD ["node", "dist/health/container-health-check.js"]');
  });
});
