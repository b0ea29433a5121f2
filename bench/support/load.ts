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
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = 100;

async function fire(options: Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error: Error | null, result) => (error ? reject(error) : resolve(result)));
  });
}

/** One second of warm-up (JIT, connections), then the measured run. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const { seconds, ...request } = options;
  // autocannon takes an explicit undefined as a value: leave out what is not set.
  const given = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  const common: Options = { connections: CONNECTIONS, ...given, url: options.url };
  await fire({ ...common, duration: 1 });
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
