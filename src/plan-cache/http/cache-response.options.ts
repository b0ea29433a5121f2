export interface CacheResponseOptions {
  /** The namespace that holds the answers, e.g. `plans`. */
  namespace: string;
  /** The key for a request's query; undefined leaves the request uncached. */
  key: (query: unknown) => string | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The options of a route marked with {@link CacheResponse}. */
    cacheResponse?: CacheResponseOptions;
  }
}
