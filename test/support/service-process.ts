import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Compiles the service as `npm start` runs it (incremental: quick when dist is current). */
export function buildService(): void {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}

/** The built service as its own process, as an orchestrator runs it, with its output kept. */
export class ServiceProcess {
  readonly lines: string[] = [];
  readonly #child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(environment: Record<string, string>) {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...environment };
    this.#child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    this.#child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      this.lines.push(...complete.filter((line) => line.length > 0));
    });
    this.#child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.lines.push(`stderr: ${chunk}`));
    this.exited = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  async listening(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some((line) => line.includes('listening on'))) {
      if (Date.now() > deadline) throw new Error(`the service did not start:\n${this.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  kill(): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
  }
}
