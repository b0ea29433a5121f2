import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TEST_DATABASE_URL } from './postgres.js';
import { REDIS_SERVER_AVAILABLE, SHARED_REDIS_AVAILABLE } from './redis-server.js';

/**
 * Suites that need a real service run when it is configured and are skipped with a notice when
 * it is not, except under REQUIRE_SERVICES=1 (as `.ci/run` sets): there a missing service fails.
 */
const servicesRequired = process.env.REQUIRE_SERVICES === '1';

/** A server or tool some suites need: whether this machine has it, and how to get it. */
export interface TestService {
  name: string;
  available(): boolean;
  howToGet: string;
}

const installed = (command: string) => () => spawnSync(command, ['--version']).status === 0;

/** A redis-server of the suite's own, which it may stop, restart or reconfigure (ACLs, counters). */
export const REDIS_SERVER: TestService = {
  name: 'redis-server',
  available: () => REDIS_SERVER_AVAILABLE,
  howToGet: 'install redis-server (apt-get install redis-server): the suite runs servers of its own',
};

/** A Redis the suite may share with others under a key prefix of its own (see useSharedRedis). */
export const REDIS: TestService = {
  name: 'Redis',
  available: () => SHARED_REDIS_AVAILABLE,
  howToGet: 'install redis-server (apt-get install redis-server) or set TEST_REDIS_URL',
};

export const POSTGRES: TestService = {
  name: 'PostgreSQL',
  available: () => TEST_DATABASE_URL !== undefined,
  howToGet: 'set TEST_DATABASE_URL=postgres://user@host:5432/postgres (a server where tests may create databases)',
};

export const PROMTOOL: TestService = {
  name: 'promtool',
  available: installed('promtool'),
  howToGet: 'install promtool (apt-get install prometheus)',
};

/** openssl, for the TLS certificates of the highly available Redis suites (Debian's openssl). */
export const OPENSSL: TestService = {
  name: 'openssl',
  available: () => spawnSync('openssl', ['version']).status === 0,
  howToGet: 'install openssl (apt-get install openssl)',
};

export const CURL: TestService = {
  name: 'curl',
  available: installed('curl'),
  howToGet: 'install curl (apt-get install curl)',
};

/** Debian's Chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM: TestService = {
  name: 'Chromium',
  available: () => existsSync(CHROMIUM_PATH),
  howToGet: `install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`,
};

type Describe = (name: string, body: () => void) => void;

/**
 * `describe` for a block that needs `services`: the block itself when they are all there; else a
 * block whose one test fails saying what is missing (REQUIRE_SERVICES=1), or a skipped block.
 */
export function describeWith(...services: TestService[]): Describe {
  const missing = services.filter((service) => !service.available());
  if (missing.length === 0) return describe;
  const needed = services.map((service) => service.name).join(' and ');
  const howToGet = missing.map((service) => service.howToGet).join('; ');
  if (servicesRequired) {
    return (name) =>
      describe(name, () => {
        it(`needs ${needed}`, () => {
          throw new Error(`${needed} required (REQUIRE_SERVICES=1) but not available: ${howToGet}`);
        });
      });
  }
  process.stdout.write(`Skipping the suites that need ${needed}: ${howToGet}\n`);
  return describe.skip;
}
