import type { TargetResult } from '../support/results.js';
import { table } from './table.js';

const met = (target: TargetResult) => {
  const verdict = target.met ? 'yes' : '**no**';
  return target.unsaturated ? `${verdict} (server under 90 % CPU on ${target.unsaturated.join(', ')})` : verdict;
};

/** Targets as a table; a verdict resting on a run whose server was not saturated says so. */
export const targetsTable = (targets: TargetResult[]): string[] =>
  table(
    ['target', 'measured', 'met'],
    ['---', '---', '---'],
    targets.map((target) => [target.target, target.measured, met(target)]),
  );
