import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadOptions, LoadResult } from './load.js';

/** wrk, a native client (Debian: `apt-get install wrk`); BENCH_WRK names another binary. */
const WRK = process.env.BENCH_WRK ?? 'wrk';
export const WRK_AVAILABLE = spawnSync(WRK, ['-v']).error === undefined;
export const WRK_MISSING = `wrk not found (\`apt-get install wrk\`, or BENCH_WRK=<path>): the wrk column is skipped`;

/**
 * A Lua string literal for any text: a long bracket whose level the text does not close; Lua drops
 * a newline right after the opening bracket, so one is always put there and the text kept whole.
 */
function luaString(text: string): string {
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[\n${text}]${level}]`;
}

/**
 * The request (method, headers, body) and a `done` callback printing wrk's summary as one JSON
 * line: wrk's own text output rounds its percentiles and mixes units.
 */
function script(options: LoadOptions): string {
  const lines = [`wrk.method = ${luaString(options.method ?? 'GET')}`];
  if (options.body !== undefined) lines.push(`wrk.body = ${luaString(options.body)}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    lines.push(`wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  }
  lines.push(
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'WRK_JSON {"requests":%.0f,"duration_us":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,"timeout":%.0f,"status_errors":%.0f,"p50_us":%.0f,"p99_us":%.0f,"max_us":%.0f}\\n\',',
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,',
    '    latency:percentile(50), latency:percentile(99), latency.max))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

interface WrkSummary {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  status_errors: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
}

const ms = (microseconds: number) => Math.round(microseconds / 10) / 100;

/** One wrk run, one thread (the server gets the other core), `connections` connections. */
export async function wrk(options: LoadOptions, seconds: number, connections: number): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'plan-cache-wrk-'));
  const file = join(dir, 'request.lua');
  writeFileSync(file, script(options));
  try {
    const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', file, options.url];
    // Asynchronous: a synchronous child would stop this process from reading the services' output pipes.
    const child = spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = output.split('\n').find((candidate) => candidate.startsWith('WRK_JSON '));
    if (code !== 0 || !line) throw new Error(`wrk ${args.join(' ')} failed (${code}): ${output}`);
    const summary = JSON.parse(line.slice('WRK_JSON '.length)) as WrkSummary;
    const socketErrors = summary.connect + summary.read + summary.write + summary.timeout;
    if (socketErrors > 0) {
      // Which kind says why: a timeout is a slow server, a read error a connection the server closed.
      const { connect, read, write, timeout } = summary;
      process.stdout.write(`wrk ${options.url}: socket errors ${JSON.stringify({ connect, read, write, timeout })}\n`);
    }
    return {
      rps: Math.round(summary.requests / (summary.duration_us / 1e6)),
      p50: ms(summary.p50_us),
      p99: ms(summary.p99_us),
      max: ms(summary.max_us),
      requests: summary.requests,
      errors: socketErrors,
      // wrk counts answers of status 400 and above; a 3xx would pass unnoticed (none is expected of a hit).
      non2xx: summary.status_errors,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
