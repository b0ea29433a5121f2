import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import { AppConfig } from '../../src/config/app-config.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './postgres.js';

export const ADMIN_TOKEN = 'test-admin-token';

/** The variables every test app starts from; a suite adds or replaces its own. */
export const TEST_ENVIRONMENT: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  ADMIN_TOKEN,
  PLANNER_BUILTIN_DELAY_MS: '0',
  // The suites read the sample plans (ids 1 to 5); outside development the service seeds nothing.
  DATABASE_SEED: 'true',
  // Most suites are one anonymous client making many plans; the suites of limits set their own.
  LIMIT_ANONYMOUS_GENERATIONS_PER_MINUTE: '100000',
  LIMIT_ANONYMOUS_CHATS_PER_MINUTE: '100000',
  // Redis's deadline is a production setting (200 ms): on a loaded test machine a call cut short
  // makes an instance degrade (load from the source, skip a write) where the test expects Redis to
  // answer. A Redis that is away fails at once anyway (no offline queue); slowness is bench/'s.
  REDIS_TIMEOUT_MS: '10000',
};

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  /** `http://127.0.0.1:<port>`, for clients other than supertest (fetch, event streams). */
  url: string;
  /** Closes the application once, however often it is called. */
  close(): Promise<void>;
}

/**
 * The real application on the Fastify adapter, listening on a free loopback port, configured
 * from `variables` instead of the process environment. Without DATA_DIR or DATABASE_URL among
 * them it gets a database of its own (`ownDatabase`), removed when it closes.
 */
export async function startTestApp(variables: Record<string, string>): Promise<TestApp> {
  const storage = 'DATA_DIR' in variables || 'DATABASE_URL' in variables ? undefined : await ownDatabase();
  try {
    const app = await startApp({ ...storage?.variables, ...variables });
    if (!storage) return app;
    return { ...app, close: once(() => app.close().finally(storage.remove)) };
  } catch (error) {
    await storage?.remove();
    throw error;
  }
}

async function startApp(variables: Record<string, string>): Promise<TestApp> {
  const config = AppConfig.from({ ...TEST_ENVIRONMENT, ...variables });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config.http, config.tracing), {
    logger: false,
  });
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const http = request(app.getHttpServer());
  const url = await app.getUrl();
  return { app, http, url: url.replace('[::1]', '127.0.0.1'), close: once(() => app.close()) };
}

const once = (run: () => Promise<void>): (() => Promise<void>) => {
  let done: Promise<void> | undefined;
  return () => (done ??= run());
};

/**
 * Where an app whose suite does not test the embedded database keeps its data: a PostgreSQL
 * database of its own on TEST_DATABASE_URL's server when there is one (it starts in a quarter of
 * the time of an embedded database, whose WASM server and file copy made the larger part of the
 * suites' start-ups), else an embedded one. The suites about the embedded database (first start,
 * durability, the process) set DATA_DIR themselves.
 */
async function ownDatabase(): Promise<{ variables: Record<string, string>; remove: () => Promise<void> }> {
  if (TEST_DATABASE_URL) {
    const database = await createTestDatabase();
    return { variables: { DATABASE_URL: database.url }, remove: () => database.drop() };
  }
  const data = temporaryDataDir();
  return { variables: { DATA_DIR: data.dir }, remove: async () => data.remove() };
}

/**
 * A directory of its own for an embedded database, removed by the returned function. It holds a
 * copy of a database initialised once for the run (test/setup), not yet migrated; `empty` gives
 * an empty one, for the tests of a first start.
 */
export function temporaryDataDir({ empty = false } = {}): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'plan-cache-test-'));
  const template = process.env.TEST_PGLITE_TEMPLATE;
  if (template && !empty) cpSync(template, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const bearer = (token = ADMIN_TOKEN) => ({ authorization: `Bearer ${token}` });

/**
 * One app on a database of its own for a whole suite: started before the suite's tests, closed
 * (its database removed) after them. Call at the top of a describe block; pass a function when a
 * variable is known only once an earlier `beforeAll` has run (a fake server's URL).
 */
export function useTestApp(variables: Record<string, string> | (() => Record<string, string>) = {}): () => TestApp {
  return useStartedApp(() => startTestApp(typeof variables === 'function' ? variables() : variables));
}

/** Like `useTestApp`, on an embedded database (the one `npm start` opens), for the suites about it. */
export function useEmbeddedTestApp(variables: Record<string, string> = {}): () => TestApp {
  const data = temporaryDataDir();
  return useStartedApp(() => startTestApp({ DATA_DIR: data.dir, ...variables }), data.remove);
}

/** The app `start` makes, for a describe block: started before its tests, closed (then `afterClose`) after them. */
function useStartedApp(
  start: () => Promise<TestApp>,
  afterClose: () => void | Promise<void> = () => undefined,
): () => TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.close();
    await afterClose();
  });
  return () => {
    if (!started) throw new Error('the test app has not started');
    return started;
  };
}

/**
 * The service on a PostgreSQL database of its own, for a describe block: the database is created
 * before the app starts and dropped after it closes.
 */
export function useTestAppOnPostgres(variables: Record<string, string>): () => TestApp {
  let database: TestDatabase | undefined;
  return useStartedApp(
    async () => {
      database = await createTestDatabase();
      return startTestApp({ DATABASE_URL: database.url, ...variables });
    },
    () => database?.drop(),
  );
}
