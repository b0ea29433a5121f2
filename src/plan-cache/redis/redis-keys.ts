/** Every key and channel the plan cache uses in Redis, under one prefix. */
export const REDIS_PREFIX = 'plan-cache';

export const RedisKeys = {
  /** Keyv namespace of a cache namespace's entries: `plan-cache:<namespace>:<key>`. */
  entries: (namespace: string) => `${REDIS_PREFIX}:${namespace}`,
  entryPattern: (namespace: string) => `${REDIS_PREFIX}:${namespace}:*`,
  generation: (namespace: string) => `${REDIS_PREFIX}:gen:${namespace}`,
  version: (key: string) => `${REDIS_PREFIX}:ver:${key}`,
  lock: (key: string) => `${REDIS_PREFIX}:lock:${key}`,
  handoff: (key: string, token: string) => `${REDIS_PREFIX}:flight:${key}:${token}`,
  hot: (namespace: string) => `${REDIS_PREFIX}:hot:${namespace}`,
  bus: `${REDIS_PREFIX}:bus`,
} as const;
