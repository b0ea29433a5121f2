import autocannon, { type Options, type Request } from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  errors: number;
  non2xx: number;
}

export interface LoadOptions {
  url: string;
  connections?: number;
  seconds?: number;
  method?: Request['method'];
  headers?: Record<string, string>;
  body?: string;
  /** A sequence each connection cycles through, instead of one request. */
  requests?: Request[];
}

/** Seconds of each measured run; BENCH_SECONDS overrides it for a quick look. */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
export const CONNECTIONS = 100;

async function fire(options: Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error: Error | null, result) => (error ? reject(error) : resolve(result)));
  });
}

/** Measured runs of each participant of a comparison, taken in turns. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * Each participant measured ROUNDS times, in turns, so that a machine that speeds up or slows
 * down during the run (a shared VM does) weighs on all of them alike; the median round counts.
 */
export async function compare<Name extends string>(
  participants: Record<Name, LoadOptions>,
): Promise<Record<Name, LoadResult>> {
  const names = Object.keys(participants) as Name[];
  const rounds = new Map<Name, LoadResult[]>(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) rounds.get(name)!.push(await load(participants[name], { warmUp: round === 0 }));
  }
  return Object.fromEntries(names.map((name) => [name, median(rounds.get(name)!)])) as Record<Name, LoadResult>;
}

function median(results: LoadResult[]): LoadResult {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor(sorted.length / 2)];
  // Errors of any round count: one failed request is a failure whichever round it fell in.
  return {
    ...middle,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
  };
}

/** One measured run, after a second of warm-up (JIT, connections) unless told otherwise. */
export async function load(options: LoadOptions, { warmUp = true } = {}): Promise<LoadResult> {
  const { seconds, ...request } = options;
  // autocannon takes an explicit undefined as a value: leave out what is not set.
  const given = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  const common: Options = { connections: CONNECTIONS, ...given, url: options.url };
  if (warmUp) await fire({ ...common, duration: 1 });
  const result = await fire({ ...common, duration: seconds ?? SECONDS });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
