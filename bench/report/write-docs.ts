import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { HitPathsResult } from '../hot-paths/index.js';
import type { TargetResult } from '../support/results.js';
import { hitPathsDocument } from './hit-paths-document.js';

export const DOCS = join(import.meta.dirname, '..', '..', '..', 'docs');

/** The machine a run measured on, for the reports. */
export function machine(): Record<string, string> {
  return {
    CPU: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 1024 ** 3)} GiB`,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** Formatted as the repository's other documents are, so that `npm run lint` stays clean. */
export async function writeFormatted(name: string, text: string): Promise<void> {
  const file = join(DOCS, name);
  writeFileSync(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
}

/** docs/load-hot-paths.md from a hit-path run. */
export function writeHitPaths(result: HitPathsResult, targets: TargetResult[], writer: string): Promise<void> {
  return writeFormatted('load-hot-paths.md', hitPathsDocument(result, targets, machine(), writer));
}
