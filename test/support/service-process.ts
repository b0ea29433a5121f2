import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/common/package-root.js';

/**
 * Compiles the service as `npm start` runs it, once per test run. Suites in parallel workers would
 * otherwise compile into the same dist/ at the same time, one starting the service from files the
 * other is rewriting: the first caller builds (mkdir is the lock), the others wait for its verdict.
 * TEST_RUN_DIR is made per run by test/setup; without it (a suite run outside Jest's setup) it builds.
 */
export function buildService(): void {
  const runDir = process.env.TEST_RUN_DIR;
  if (!runDir) return compileService();
  const lock = join(runDir, 'service-build');
  const verdict = join(lock, 'verdict');
  try {
    mkdirSync(lock);
  } catch {
    const deadline = Date.now() + 600_000;
    while (!existsSync(verdict)) {
      if (Date.now() > deadline) throw new Error('the build of another worker gave no verdict');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    const failure = readFileSync(verdict, 'utf8');
    if (failure !== '') throw new Error(failure);
    return;
  }
  // Written whole, then renamed: a waiter never reads a verdict half written.
  const decide = (failure: string) => {
    writeFileSync(`${verdict}.partial`, failure);
    renameSync(`${verdict}.partial`, verdict);
  };
  try {
    compileService();
    decide('');
  } catch (error) {
    decide((error as Error).message);
    throw error;
  }
}

function compileService(): void {
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}

/** The flags node runs the service with in production (package.json `config.node_flags`: npm start, the image). */
export function productionNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    config: { node_flags: string };
  };
  return manifest.config.node_flags.split(' ');
}

export interface ProcessOptions {
  /** The script to run, relative to the project root. */
  script?: string;
  /** Flags for node itself, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** The node binary; this process's by default (the bench runs the service on other versions too). */
  node?: string;
}

/** Lines of output kept: enough to explain a failure, bounded under load. */
const KEPT_LINES = 500;

/** The built service as its own process, as an orchestrator runs it, with its last lines of output kept. */
export class ServiceProcess {
  readonly lines: string[] = [];
  readonly #child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(
    environment: Record<string, string>,
    { script = 'dist/main.js', nodeArgs = [], node = process.execPath }: ProcessOptions = {},
  ) {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...environment };
    const args = [...nodeArgs, script];
    this.#child = spawn(node, args, { cwd: PACKAGE_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      this.#keep(complete.filter((line) => line.length > 0));
    });
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.#keep([`stderr: ${chunk}`]));
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  /** `timeoutMs` is a deadline for failing: a loaded machine starts the service (and its database) slowly. */
  async listening(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some((line) => line.includes('listening on'))) {
      if (Date.now() > deadline) throw new Error(`the service did not start:\n${this.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  #keep(lines: string[]): void {
    this.lines.push(...lines);
    if (this.lines.length > KEPT_LINES) this.lines.splice(0, this.lines.length - KEPT_LINES);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}
