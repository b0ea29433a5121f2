import { mkdtempSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import FakeTimers from '@sinonjs/fake-timers';
import { AppModule } from '../../src/app.module.js';
import { createHttpAdapter } from '../../src/app.setup.js';
import { NO_DIRECTIVES } from '../../src/chat/requests/request-cache-control.js';
import { TaskPlanService } from '../../src/chat/task-plan.service.js';
import { authenticatedCaller } from '../../src/callers/caller.js';
import { AppConfig } from '../../src/config/app-config.js';
import { PlanExperiments } from '../../src/chat/task-plan-cache/experiments/plan-experiments.js';
import { seededRandom, zipfSampler } from '../support/zipf.js';

/** The workload: a day's busy ten minutes, simulated. */
export const SIMULATION = {
  goals: 1000,
  zipfExponent: 1,
  simulatedSeconds: 600,
  requestsPerSecond: 20,
  plannerLatencyMs: 2000,
  ttlSeconds: 60,
  earlyRefresh: 0.8,
  hotFromHits: 3,
};

export interface SimulationRun {
  mode: string;
  requests: number;
  plannerCalls: number;
  hitRatio: number;
  /** Requests that waited for a generation (their own, or one they joined). */
  waitedShare: number;
  meanWaitMs: number;
}

/**
 * The real service (TaskPlanService, the task-plan cache, the builtin planner taking 2 s) under a
 * Zipf workload for ten minutes of simulated time: the clock is faked, so the ten minutes take
 * seconds and both runs see exactly the same requests at the same simulated instants.
 */
export async function simulateEarlyRefresh(earlyRefresh: number): Promise<SimulationRun> {
  const data = mkdtempSync(join(tmpdir(), 'plan-cache-simulation-'));
  const config = AppConfig.from({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: data,
    PLANS_CACHE_WARM: 'false',
    PLANNER_BUILTIN_DELAY_MS: String(SIMULATION.plannerLatencyMs),
    PLAN_CACHE_TTL: String(SIMULATION.ttlSeconds),
    PLAN_CACHE_MAXSIZE: String(SIMULATION.goals),
    PLAN_CACHE_MIN_GEN_TIME: '1',
    PLAN_CACHE_EARLY_REFRESH: String(earlyRefresh),
    PLAN_CACHE_EARLY_REFRESH_MIN_HITS: String(SIMULATION.hotFromHits),
    // One simulated caller makes every request: its budget and the planner slots must not be what is measured.
    LIMIT_AUTHENTICATED_GENERATIONS_PER_MINUTE: '1000000',
    PLANNER_MAX_CONCURRENCY: '10000',
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  // The whole application, initialised but not listening: requests go straight to the use case.
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config.http), {
    logger: false,
  });
  await app.init();
  const plans = app.get(TaskPlanService);
  const policy = app.get(PlanExperiments).defaultPolicy;
  const caller = authenticatedCaller('simulation', undefined, false);

  const clock = FakeTimers.install({
    toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
  });
  // ES-module imports of node:timers/promises see the fake timers only once their bindings are synced.
  syncBuiltinESMExports();
  try {
    const nextGoal = zipfSampler(SIMULATION.goals, SIMULATION.zipfExponent, 7);
    const random = seededRandom(11);
    const waits: number[] = [];
    const pending: Promise<void>[] = [];
    let requests = 0;
    const end = SIMULATION.simulatedSeconds * 1000;
    for (let at = 0; at < end; at += -Math.log(1 - random()) * (1000 / SIMULATION.requestsPerSecond)) {
      await clock.tickAsync(Math.max(0, Math.round(at) - clock.now));
      const goal = `Simulated goal ${nextGoal()}`;
      const started = clock.now;
      requests++;
      pending.push(
        plans
          .plan({ goal }, { directives: NO_DIRECTIVES, clientGone: new AbortController().signal, policy, caller })
          .then((answer) => {
            if (!answer.cached) waits.push(clock.now - started);
          }),
      );
    }
    await clock.tickAsync(SIMULATION.plannerLatencyMs * 3);
    await Promise.all(pending);
    const { hits, misses, plannerCalls } = policy.counters;
    return {
      mode: earlyRefresh > 0 ? `early refresh at ${earlyRefresh * 100} % of the TTL` : 'no early refresh',
      requests,
      plannerCalls,
      hitRatio: hits / (hits + misses),
      waitedShare: waits.length / requests,
      meanWaitMs: waits.length === 0 ? 0 : waits.reduce((sum, ms) => sum + ms, 0) / waits.length,
    };
  } finally {
    clock.uninstall();
    syncBuiltinESMExports();
    await app.close();
    rmSync(data, { recursive: true, force: true });
  }
}
