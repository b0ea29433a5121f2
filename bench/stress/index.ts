import type { StressResult } from '../support/results.js';
import { lockHolderCrash } from './lock-holder-crash.js';
import { clusterFailover, sentinelFailover } from './redis-failover.js';
import { redisRestart } from './redis-restart.js';
import { sigtermUnderLoad } from './sigterm.js';
import { slowClients } from './slow-clients.js';
import { stampede } from './stampede.js';
import { writeConsistency } from './write-consistency.js';

/**
 * Faults and stress, each judged pass or fail. How long something takes is judged here, never in
 * the tests: they check what happens and in which order, these how fast.
 */
export const stressScenarios: (() => Promise<StressResult>)[] = [
  stampede,
  redisRestart,
  writeConsistency,
  sigtermUnderLoad,
  lockHolderCrash,
  slowClients,
  sentinelFailover,
  clusterFailover,
];
