import type { RedisConnection } from '../redis/redis-connection.js';
import { KeyVersions, type LocalStamp } from './key-versions.js';
import { PRIMARY_ID_LUA } from '../redis/primary-id.lua.js';
import { isRemoteStamp, newVersionToken, sameStamp, type RemoteStamp } from './remote-stamp.js';

/** The versions a load began with; its value is stored, and served, only while they are current. */
export interface LoadStamp {
  local: LocalStamp;
  /** Absent when Redis could not say (or is not used): then the value stays in this process. */
  remote?: RemoteStamp;
}

/**
 * The stamp of a load in Redis: the namespace generation (of the key's bucket) and the key
 * version, each created as a fresh token when absent (never seen, expired or evicted), the key
 * version's life renewed, and the primary's replication id.
 * KEYS: generation, key version. ARGV: two fresh tokens, the key version's life in ms.
 */
const STAMP = `${PRIMARY_ID_LUA}
local g = redis.call('GET', KEYS[1])
if not g then g = ARGV[1]; redis.call('SET', KEYS[1], g) end
local k = redis.call('GET', KEYS[2])
if not k then k = ARGV[2]; redis.call('SET', KEYS[2], k, 'PX', ARGV[3]) else redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
return {g, k, primary_id()}`;

/**
 * Writes an entry only while the generation, key version and primary are still those of its stamp.
 * KEYS: generation, key version, entry, entry index. ARGV: g, k, p, envelope, ttl ms, expiry, key.
 */
const WRITE_IF_CURRENT = `${PRIMARY_ID_LUA}
if redis.call('GET', KEYS[1]) ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[2] or primary_id() ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
return 1`;

/**
 * An entry with the versions it must match, read in one step.
 * KEYS: entry, generation, key version. Answers {entry, g, k, p} (false for what is absent).
 */
const READ = `${PRIMARY_ID_LUA}
return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]), primary_id()}`;

/** What Redis holds for a key now: its entry, and the versions an entry must carry to be served. */
export interface CurrentEntry {
  raw: string | null;
  versions: { g: string | null; k: string | null; p: string };
}

/**
 * Stale-set protection, in three steps, each in this process and across instances. A value read
 * from the source before an invalidation of its key (a write committed at the source meanwhile, a
 * key cleared by an operator) must never be stored, nor served, after that invalidation.
 *
 * 1. **Stamp at load start** ({@link stamp}): the process-wide version counter (KeyVersions), and
 *    Redis's namespace generation and key version (one script).
 * 2. **Refuse at write**: in this process, {@link mayStoreHere} checks the stamp in the same turn
 *    as the in-process tier is written; in Redis, {@link writeIfCurrent} writes only while the
 *    versions are still the stamp's (one script: nothing can come in between).
 * 3. **Hide at read** ({@link readCurrent}, {@link isCurrent}): an entry read from Redis is served
 *    only if its stamp is Redis's current versions, read in the same script; so an entry that
 *    slipped in anyway (an instance with an old build, a clock that lied) is a miss.
 *
 * Every step also compares the primary's replication id: replication is asynchronous, so a replica
 * promoted by a failover may lack invalidations its old primary acknowledged; what was stamped or
 * written under another primary is a miss (docs/decisions.md, "Failovers").
 *
 * An invalidation gives the keys new versions here ({@link invalidatedHere}) and in Redis (new
 * random tokens, RedisTier.invalidate); a clear raises a floor here and a new generation there.
 */
export class StaleSetGuard {
  readonly #versions: KeyVersions;

  constructor(
    /** The longest a load may take: a value loaded for longer is refused whatever its versions. */
    loadDeadlineMs: number,
    private readonly redis?: { connection: RedisConnection; namespace: string; versionTtlMs: number },
  ) {
    this.#versions = new KeyVersions(loadDeadlineMs);
  }

  /** Step 1: the stamp of a load that begins now. */
  async stamp(key: string): Promise<LoadStamp> {
    const local = this.#versions.stamp();
    return { local, remote: await this.#remoteStamp(key) };
  }

  /** Step 1, in this process only: for copying an entry of the shared tier here. */
  stampHere(): LoadStamp {
    return { local: this.#versions.stamp() };
  }

  /** Step 2, here: whether a value loaded under `stamp` may enter this process's tier now. */
  mayStoreHere(key: string, stamp: LoadStamp): boolean {
    return this.#versions.mayStore(key, stamp.local);
  }

  /**
   * Step 2, in Redis: writes the envelope of `key` for `ttlMs` (indexed by its end, `until`) unless
   * the key was invalidated since `stamp`; false when refused. Throws when Redis is away.
   */
  async writeIfCurrent(
    key: string,
    stamp: RemoteStamp,
    envelope: string,
    { ttlMs, until }: { ttlMs: number; until: number },
  ): Promise<boolean> {
    if (!this.redis) throw new Error('No Redis to write to');
    const { connection, namespace } = this.redis;
    const { client, keys, guard } = connection;
    const written = await guard.run(() =>
      client.eval(WRITE_IF_CURRENT, {
        keys: [
          keys.generation(namespace, keys.bucketOf(key)),
          keys.version(key),
          keys.entry(namespace, key),
          keys.index(namespace, keys.bucketOf(key)),
        ],
        arguments: [stamp.g, stamp.k, stamp.p ?? '', envelope, String(ttlMs), String(until), key],
      }),
    );
    return written === 1;
  }

  /** Step 3, its read: the entry of `key` in Redis and the versions it must carry; undefined when Redis cannot say. */
  async readCurrent(key: string): Promise<CurrentEntry | undefined> {
    if (!this.redis) return undefined;
    const { connection, namespace } = this.redis;
    const { client, keys, guard } = connection;
    const reply = await guard.tryRun(
      () =>
        client.eval(READ, {
          keys: [keys.entry(namespace, key), keys.generation(namespace, keys.bucketOf(key)), keys.version(key)],
        }) as Promise<[string | null, string | null, string | null, string]>,
      undefined,
    );
    if (!reply) return undefined;
    const [raw, g, k, p] = reply;
    return { raw, versions: { g, k, p } };
  }

  /** Step 3: whether an entry stamped `stamp` may be served, given the versions Redis holds now. */
  isCurrent(stamp: unknown, current: CurrentEntry['versions']): boolean {
    if (current.g === null || current.k === null || !isRemoteStamp(stamp)) return false;
    return sameStamp(stamp, { g: current.g, k: current.k, p: current.p });
  }

  /** The keys were invalidated: loads stamped before now may not store them here. */
  invalidatedHere(keys: readonly string[]): void {
    for (const key of keys) this.#versions.invalidate(key);
  }

  /** The namespace was cleared: no load stamped before now may store anything here. */
  clearedHere(): void {
    this.#versions.invalidateAll();
  }

  /** Keys whose invalidation this process remembers (those within the load deadline). */
  get trackedVersions(): number {
    return this.#versions.size;
  }

  async #remoteStamp(key: string): Promise<RemoteStamp | undefined> {
    if (!this.redis) return undefined;
    const { connection, namespace, versionTtlMs } = this.redis;
    const { client, keys, guard } = connection;
    return guard.tryRun(async () => {
      const [g, k, p] = (await client.eval(STAMP, {
        keys: [keys.generation(namespace, keys.bucketOf(key)), keys.version(key)],
        arguments: [newVersionToken(), newVersionToken(), String(versionTtlMs)],
      })) as [string, string, string];
      return { g, k, p };
    }, undefined);
  }
}
