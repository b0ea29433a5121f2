/** Whether a word is spelled right in its language (English or Russian, by its script). */
export interface SpellingDictionary {
  isWord(word: string): boolean;
}

const CYRILLIC = /[\u0400-\u04FF]/u;

/**
 * Words of software work that the general dictionaries lack and that are one edit from another
 * word: added to them, so that "sharding" is never taken for a typo of "sharing".
 */
const TECHNICAL_WORDS = (
  'sharding sharded shard shards hotspot hotspots pppoe webhook webhooks frontend backend middleware ' +
  'dockerfile kubectl namespace namespaces linter linters linting dedupe deduplicate autoscaling ' +
  'autoscaler failover runbook runbooks changelog monorepo microservice microservices serverless devops ' +
  'crontab caching cached uptime downtime hostname hostnames subdomain subdomains refactor refactoring ' +
  'rollout rollback signup signups login logins logout onboarding offboarding staging stateful stateless ' +
  'шардинг шардирование хотспот хотспота фронтенд фронтенда бэкенд бэкенда деплой деплоя бренды бренд'
).split(' ');

/**
 * The English and Russian Hunspell dictionaries (dictionary-en, dictionary-ru) in Hunspell itself,
 * compiled to WebAssembly (hunspell-asm): 0.2 s and under 30 MB for both, where a JavaScript port
 * (nspell) takes seconds and hundreds of megabytes to expand the Russian affixes.
 */
export async function loadSpellingDictionary(): Promise<SpellingDictionary> {
  const [factory, english, russian] = await Promise.all([
    withoutProcessHandlers(() => import('hunspell-asm').then(({ loadModule }) => loadModule())),
    import('dictionary-en').then((module) => module.default),
    import('dictionary-ru').then((module) => module.default),
  ]);
  const open = (name: string, { aff, dic }: { aff: Uint8Array; dic: Uint8Array }) =>
    factory.create(factory.mountBuffer(aff, `${name}.aff`), factory.mountBuffer(dic, `${name}.dic`));
  const en = open('en', english);
  const ru = open('ru', russian);
  for (const word of TECHNICAL_WORDS) (CYRILLIC.test(word) ? ru : en).addWord(word);
  return { isWord: (word) => (CYRILLIC.test(word) ? ru : en).spell(word) };
}

/**
 * The Emscripten runtime of hunspell-asm installs a process-wide `uncaughtException` listener that
 * rethrows (and prints its own source); the service's lifecycle owns the process's handlers.
 */
async function withoutProcessHandlers<T>(load: () => Promise<T>): Promise<T> {
  const exceptions = new Set(process.listeners('uncaughtException'));
  const rejections = new Set(process.listeners('unhandledRejection'));
  try {
    return await load();
  } finally {
    for (const listener of process.listeners('uncaughtException'))
      if (!exceptions.has(listener)) process.removeListener('uncaughtException', listener);
    for (const listener of process.listeners('unhandledRejection'))
      if (!rejections.has(listener)) process.removeListener('unhandledRejection', listener);
  }
}
