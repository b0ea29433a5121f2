import { Inject, Injectable, type FactoryProvider, type InjectionToken } from '@nestjs/common';
import { AppConfig } from '../../config/index.js';
import type { InvalidationBus } from '../bus/invalidation-bus.js';
import { RedisTier } from '../drivers/redis-tier.js';
import type { RedisConnection } from '../redis/redis-connection.js';
import { INVALIDATION_BUS, REDIS_CONNECTION } from '../redis/redis.providers.js';
import { CacheNamespace } from './cache-namespace.js';
import type { NamespaceOptions } from './namespace-options.js';
import type { ValueCodec } from './value-codec.js';

/** What a domain says of one of its namespaces: its name, its settings, and how its values cross Redis. */
export interface NamespaceSpec<V> {
  name: string;
  options: NamespaceOptions;
  codec: ValueCodec<V>;
}

/** The class a domain declares as its namespace's DI token: `class ProductLists extends CacheNamespace<SerializedJson> {}`. */
export type NamespaceClass<V, N extends CacheNamespace<V>> = new (
  ...args: ConstructorParameters<typeof CacheNamespace<V>>
) => N;

/** Every namespace of the service, made here with the engine's Redis and bus, and known by name to the operators' API. */
@Injectable()
export class CacheNamespaces {
  readonly #all = new Map<string, CacheNamespace<unknown>>();
  readonly #byClass = new Map<object, CacheNamespace<unknown>>();

  constructor(
    private readonly config: AppConfig,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null,
    @Inject(INVALIDATION_BUS) private readonly bus: InvalidationBus | null,
  ) {}

  create<V, N extends CacheNamespace<V>>(type: NamespaceClass<V, N>, spec: NamespaceSpec<V>): N {
    if (this.#all.has(spec.name)) throw new Error(`Cache namespace "${spec.name}" is declared twice`);
    const { redis, bus } = this;
    const flight = { leaseMs: this.config.redis.lockLeaseMs, ...spec.options.flight };
    const options = { ...spec.options, flight };
    const remote = redis && bus ? () => new RedisTier(spec.name, redis, bus, spec.codec) : undefined;
    const namespace = new type(spec.name, options, remote);
    this.#all.set(spec.name, namespace);
    this.#byClass.set(type, namespace);
    return namespace;
  }

  get all(): CacheNamespace<unknown>[] {
    return [...this.#all.values()];
  }

  /** The namespace made for `type` (its DI token), for code that holds the token as data (route options). */
  get<V, N extends CacheNamespace<V>>(type: NamespaceClass<V, N>): N {
    const namespace = this.#byClass.get(type);
    if (!namespace) throw new Error(`No cache namespace was made for ${type.name}`);
    return namespace as N;
  }

  byName(name: string): CacheNamespace<unknown> | undefined {
    return this.#all.get(name);
  }
}

/**
 * The provider of a domain's namespace: `define` gets the injected `inject` tokens and says what
 * the namespace is; the engine makes it.
 */
export function cacheNamespaceProvider<V, N extends CacheNamespace<V>, D extends unknown[]>(
  type: NamespaceClass<V, N>,
  inject: InjectionToken[],
  define: (...dependencies: D) => NamespaceSpec<V>,
): FactoryProvider<N> {
  return {
    provide: type,
    inject: [CacheNamespaces, ...inject],
    useFactory: (namespaces: CacheNamespaces, ...dependencies: D) => namespaces.create(type, define(...dependencies)),
  };
}
