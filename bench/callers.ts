import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { format, resolveConfig } from 'prettier';
import { compare, type LoadOptions, type LoadResult } from './support/load.js';
import { startService, type Running } from './support/processes.js';

/**
 * What knowing callers costs a cached hit, and what an abusive anonymous client can make the
 * planner do. Cached hits are measured side by side (in turns, the median of the rounds): the
 * build before callers and limits existed (BENCH_BASELINE_SCRIPT, e.g. a worktree of that
 * commit), and this build with an anonymous caller and with a JWT.
 */
const SECRET = 'bench-jwt-secret-of-at-least-thirty-two-chars';
/** Production verifies tokens of one issuer for one audience only. */
const TOKEN_CHECKS = { AUTH_ISSUER: 'https://id.bench.example', AUTH_AUDIENCE: 'plan-cache' };
const GOAL = JSON.stringify({ goal: 'Launch a billing dashboard for hotspot operators' });
const ABUSE_SECONDS = Number(process.env.BENCH_ABUSE_SECONDS ?? 65);
const DOCS = join(import.meta.dirname, '..', '..', 'docs');
const say = (line: string) => process.stdout.write(`${line}\n`);

const hit = (service: Running, headers: Record<string, string> = {}): LoadOptions => ({
  url: `${service.url}/api/chat/plan`,
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: GOAL,
});

async function warm(service: Running, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`${service.url}/api/chat/plan`, hit(service, headers));
  if (!response.ok) throw new Error(`warming: ${response.status} ${await response.text()}`);
}

async function hitCost(): Promise<Record<string, LoadResult>> {
  const settings = { PLANNER_BUILTIN_DELAY_MS: '50', PLAN_CACHE_MIN_GEN_TIME: '0', WEB_CONSOLE_ENABLED: 'false' };
  const baselineScript = process.env.BENCH_BASELINE_SCRIPT;
  const token = await new SignJWT({
    sub: 'bench-user',
    tenant: 'bench',
    iss: TOKEN_CHECKS.AUTH_ISSUER,
    aud: TOKEN_CHECKS.AUTH_AUDIENCE,
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
  const current = await startService({ ...settings, AUTH_JWT_SECRET: SECRET, ...TOKEN_CHECKS });
  const baseline = baselineScript ? await startService(settings, [], baselineScript) : undefined;
  try {
    await warm(current);
    await warm(current, { authorization: `Bearer ${token}` });
    const participants: Record<string, LoadOptions> = {
      'anonymous hit': hit(current),
      'JWT hit': hit(current, { authorization: `Bearer ${token}` }),
    };
    if (baseline) {
      await warm(baseline);
      participants['before callers (baseline)'] = hit(baseline);
    }
    return await compare(participants);
  } finally {
    await Promise.all([current.stop(), baseline?.stop()]);
  }
}

async function plannerCalls(service: Running): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return [...text.matchAll(/^planner_generation_seconds_count\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

/** One anonymous client, as fast as it can: new goals, no-store, no-cache and chat replies. */
async function abuse(): Promise<{ seconds: number; requests: number; refused: number; plannerCalls: number }> {
  const service = await startService({ PLANNER_BUILTIN_DELAY_MS: '50', WEB_CONSOLE_ENABLED: 'false' });
  let requests = 0;
  let refused = 0;
  const until = Date.now() + ABUSE_SECONDS * 1000;
  try {
    const worker = async (lane: number) => {
      for (let i = 0; Date.now() < until; i++) {
        const kind = i % 4;
        const goal = `Abusive goal ${lane}-${i}`;
        const response =
          kind === 3
            ? await fetch(`${service.url}/api/chat/stream?mode=chat&goal=${encodeURIComponent(goal)}`)
            : await fetch(`${service.url}/api/chat/plan`, {
                method: 'POST',
                headers: {
                  'content-type': 'application/json',
                  ...(kind === 1 && { 'cache-control': 'no-store' }),
                  ...(kind === 2 && { 'cache-control': 'no-cache' }),
                },
                body: JSON.stringify({ goal: kind === 2 ? 'Abusive goal' : goal }),
              });
        await response.arrayBuffer();
        requests++;
        if (response.status === 429 || response.status === 401) refused++;
      }
    };
    await Promise.all([1, 2, 3, 4].map(worker));
    return { seconds: ABUSE_SECONDS, requests, refused, plannerCalls: await plannerCalls(service) };
  } finally {
    await service.stop();
  }
}

async function main(): Promise<void> {
  const hits = await hitCost();
  const baseline = hits['before callers (baseline)'];
  const abused = await abuse();
  const rows = Object.entries(hits).map(
    ([name, result]) =>
      `| ${name} | ${Math.round(result.rps)} | ${result.p99} | ${baseline ? (result.rps / baseline.rps).toFixed(3) : 'n/a'} | ${result.errors + result.non2xx} |`,
  );
  const report = [
    '# Callers and limits: load results',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:callers\` on this machine (${process.version}).`,
    '',
    '## Cached hits: what verification and limits cost',
    '',
    'Cached `POST /api/chat/plan`, 100 connections, the median of the rounds taken in turns. The baseline is the build',
    'before callers and limits (its commit built in a worktree, `BENCH_BASELINE_SCRIPT`).',
    '',
    '| participant | rps | p99 ms | vs baseline | errors |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## An abusive anonymous client',
    '',
    `Four concurrent loops from one address for ${abused.seconds} s, cycling new goals, \`no-store\`, \`no-cache\` and`,
    '`mode=chat`, against the defaults (`LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE=10`, anonymous chats refused):',
    '',
    `- requests: ${abused.requests}, refused (429/401): ${abused.refused}`,
    `- planner calls: ${abused.plannerCalls} (${((abused.plannerCalls * 60) / abused.seconds).toFixed(1)} a minute)`,
    '',
  ].join('\n');
  const file = join(DOCS, 'load-callers.md');
  writeFileSync(file, await format(report, { ...(await resolveConfig(file)), filepath: file }));
  say(report);
}

await main();
