import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exportedSeries, metricNamesIn } from './support/promql-metrics.js';
import { useRedisServer } from './support/redis-server.js';
import { describeWithService } from './support/services.js';
import { useTestApp } from './support/test-app.js';

const DEPLOY = join(import.meta.dirname, '..', 'deploy');
const PROMTOOL_AVAILABLE = spawnSync('promtool', ['--version']).status === 0;

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}
interface RuleFile {
  groups: { rules: { alert: string; expr: string }[] }[];
}

const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana', 'plan-cache.json'), 'utf8')) as Dashboard;
const rules = parse(readFileSync(join(DEPLOY, 'prometheus', 'alerts.yml'), 'utf8')) as RuleFile;

describeWithService(
  'promtool',
  PROMTOOL_AVAILABLE,
  'install promtool (apt-get install prometheus)',
)('Alert rules checked by promtool', () => {
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
  const redis = useRedisServer();
  const app = useTestApp(() => ({
    PLAN_CACHE_REDIS_ENABLED: 'true',
    REDIS_URL: redis().url,
    PLAN_CACHE_SEMANTIC_ENABLED: 'true',
  }));

  const expressions = [
    ...dashboard.panels.flatMap((panel) =>
      panel.targets.map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })),
    ),
    ...rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }))),
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
