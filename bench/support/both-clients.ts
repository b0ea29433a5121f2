import { load, ROUNDS, type LoadOptions, type LoadResult } from './load.js';
import { SATURATED, withServerCpu } from './server-cpu.js';
import { wrk, WRK_AVAILABLE } from './wrk.js';

/** Connections of the issue-29 comparisons: the issue measured at 50. */
export const HIT_CONNECTIONS = 50;
/** Seconds of each client's run in those comparisons (wrk -d5s); BENCH_SECONDS overrides it for a quick look. */
export const HIT_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** A participant: what to ask, and the process answering it, whose CPU time is read around each run. */
export interface Participant extends LoadOptions {
  pid: number;
}

/** One client's median round, with the share of a core the server used during that round. */
export interface ClientRun extends LoadResult {
  cpu: number;
}

/** A participant as both clients measured it; wrk is absent where it is not installed. */
export interface BothClients {
  autocannon: ClientRun;
  wrk?: ClientRun;
}

export interface BothRatios {
  autocannon: number;
  wrk?: number;
  /** What targets are judged on: the median of the clients' ratios (their mean, with two). */
  median: number;
  /** Every run behind the ratio had its server at SATURATED or more of a core. */
  saturated: boolean;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const medianOf = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The round of median rps; errors of every round count (one failed request fails whichever round it fell in). */
function medianRound(runs: ClientRun[]): ClientRun {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return {
    ...sorted[Math.floor(sorted.length / 2)],
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
  };
}

export const isSaturated = (run: ClientRun) => run.cpu >= SATURATED;

/** `of` over `over` per client, on any figure (rps, or p99 for a latency ratio). */
export function ratios(
  of: BothClients,
  over: BothClients,
  pick: (run: ClientRun) => number = (r) => r.rps,
): BothRatios {
  const autocannon = round2(pick(of.autocannon) / pick(over.autocannon));
  const wrkRatio = of.wrk && over.wrk ? round2(pick(of.wrk) / pick(over.wrk)) : undefined;
  const runs = [of.autocannon, over.autocannon, of.wrk, over.wrk].filter((run) => run !== undefined);
  return {
    autocannon,
    wrk: wrkRatio,
    median: round2(medianOf(wrkRatio === undefined ? [autocannon] : [autocannon, wrkRatio])),
    saturated: runs.every(isSaturated),
  };
}

/**
 * Each participant measured ROUNDS times by autocannon, then by wrk, in turns, so that a shared
 * machine speeding up or slowing down weighs on all alike; the median round of each client counts.
 * The server's CPU share is read around every run: a ratio means something only while both
 * servers were the bottleneck, not the client.
 */
export async function compareBothClients<Name extends string>(
  participants: Record<Name, Participant>,
  seconds = HIT_SECONDS,
  connections = HIT_CONNECTIONS,
): Promise<Record<Name, BothClients>> {
  const names = Object.keys(participants) as Name[];
  const runs = new Map(names.map((name) => [name, { autocannon: [] as ClientRun[], wrk: [] as ClientRun[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) {
      const { pid, ...request } = participants[name];
      const options = { ...request, seconds, connections };
      // Warm-up (JIT, connections) outside the measured run, so that its CPU share is the run's alone.
      if (round === 0) await load({ ...options, seconds: 1 }, { warmUp: false });
      const byAutocannon = await withServerCpu(pid, () => load(options, { warmUp: false }));
      runs.get(name)!.autocannon.push({ ...byAutocannon.result, cpu: byAutocannon.cpu });
      if (!WRK_AVAILABLE) continue;
      const byWrk = await withServerCpu(pid, () => wrk(request, seconds, connections));
      runs.get(name)!.wrk.push({ ...byWrk.result, cpu: byWrk.cpu });
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const { autocannon, wrk: byWrk } = runs.get(name)!;
      return [name, { autocannon: medianRound(autocannon), wrk: byWrk.length ? medianRound(byWrk) : undefined }];
    }),
  ) as Record<Name, BothClients>;
}
