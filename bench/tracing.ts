import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { compare, ROUNDS, SECONDS, type LoadOptions } from './support/load.js';
import { startService, type Running } from './support/processes.js';

/**
 * What traces cost a cached hit: the same build with tracing off (no endpoint), on with 1 % of
 * traces sampled, and on with every request sampled, exported over OTLP/HTTP to a local receiver
 * that accepts and drops; cached `POST /api/chat/plan` and `GET /api/plans` side by side, in turns.
 * Writes docs/load-tracing.md.
 */
const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const settings = { PLANNER_BUILTIN_DELAY_MS: '50', PLAN_CACHE_MIN_GEN_TIME: '0', WEB_CONSOLE_ENABLED: 'false' };

const plan = (service: Running): LoadOptions => ({
  url: `${service.url}/api/chat/plan`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ goal: 'Launch a billing dashboard for hotspot operators' }),
});
const list = (service: Running): LoadOptions => ({ url: `${service.url}/api/plans`, method: 'GET' });

async function main(): Promise<void> {
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const off = await startService(settings);
  const on = await startService({
    ...settings,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_TRACES_SAMPLER: 'always_on',
  });
  const sampled = await startService({
    ...settings,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.01',
  });
  try {
    for (const service of [off, on, sampled]) await fetch(plan(service).url, plan(service));
    const plans = await compare({
      'cached plan, traces off': plan(off),
      'cached plan, 1 % sampled': plan(sampled),
      'cached plan, all sampled': plan(on),
    });
    const lists = await compare({
      'cached list, traces off': list(off),
      'cached list, 1 % sampled': list(sampled),
      'cached list, all sampled': list(on),
    });
    const rows = Object.entries({ ...plans, ...lists }).map(
      ([name, result]) => `| ${name} | ${Math.round(result.rps)} |`,
    );
    const ratio = (a: string, b: string, results: Record<string, { rps: number }>) =>
      (results[b].rps / results[a].rps).toFixed(3);
    const text = [
      '# What traces cost a cached hit',
      '',
      `Written by \`npm run bench:tracing\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${ROUNDS} rounds of ${SECONDS} s in turns (median).`,
      'Traces on: `parentbased_traceidratio` at 0.01, or `always_on`, exported over OTLP/HTTP to a local receiver.',
      '',
      '| scenario | requests/s |',
      '|---|---|',
      ...rows,
      '',
      `Against traces off: cached plan ${ratio('cached plan, traces off', 'cached plan, 1 % sampled', plans)} (1 % sampled), ` +
        `${ratio('cached plan, traces off', 'cached plan, all sampled', plans)} (all); cached list ` +
        `${ratio('cached list, traces off', 'cached list, 1 % sampled', lists)} (1 %), ${ratio('cached list, traces off', 'cached list, all sampled', lists)} (all). ` +
        'With traces off (no endpoint) nothing is installed: a hit pays one context lookup for the cache span it does not make.',
    ].join('\n');
    const file = join(DOCS, 'load-tracing.md');
    writeFileSync(file, await format(text, { ...(await resolveConfig(file)), parser: 'markdown' }));
    process.stdout.write(`${text}\n`);
  } finally {
    await Promise.all([off.stop(), on.stop(), sampled.stop()]);
    receiver.close();
  }
}

await main();
