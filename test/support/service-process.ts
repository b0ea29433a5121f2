import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/common/package-root.js';

/** Compiles the service as `npm start` runs it (incremental: quick when dist is current). */
export function buildService(): void {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
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

  async listening(timeoutMs = 20_000): Promise<void> {
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
