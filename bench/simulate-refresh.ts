import { simulateEarlyRefresh, SIMULATION } from './simulation/early-refresh.js';

/** `npm run bench:refresh`: the early-refresh simulation alone. */
for (const earlyRefresh of [0, SIMULATION.earlyRefresh]) {
  const started = performance.now();
  const run = await simulateEarlyRefresh(earlyRefresh);
  process.stdout.write(`${JSON.stringify(run)} (${Math.round(performance.now() - started)} ms)\n`);
}
