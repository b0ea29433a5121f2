import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignVariant } from '../../src/chat/task-plan-cache/experiments/variant-assignment.js';

export interface ExperimentFile {
  name: string;
  variants: { name: string; weight: number; [setting: string]: unknown }[];
}

/** The experiment written to a file of its own for one describe block; its path is for PLAN_CACHE_EXPERIMENTS_FILE. */
export function useExperimentFile(experiment: ExperimentFile): string {
  const dir = mkdtempSync(join(tmpdir(), 'plan-experiment-'));
  const path = join(dir, 'experiment.json');
  writeFileSync(path, JSON.stringify(experiment));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return path;
}

/** A client id that the experiment assigns to `variant` (found by trying, as a client would be). */
export function clientIn(experiment: ExperimentFile, variant: string, salt = ''): string {
  const weights = experiment.variants.map((v) => v.weight);
  const wanted = experiment.variants.findIndex((v) => v.name === variant);
  for (let i = 0; ; i++) {
    const id = `client-${salt}${i}`;
    if (assignVariant(experiment.name, id, weights) === wanted) return id;
  }
}
