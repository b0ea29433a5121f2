/**
 * The engine's fixed timings and bounds, in one place. Those an operator may want to change are
 * environment settings (src/config); these are the ones tuned once, with the reason beside each.
 */
export const EngineTunables = {
  redis: {
    /** Half-open after a second: Redis coming back is noticed quickly, a dead one costs one call a second. */
    breakerResetMs: 1000,
    /** How long start-up waits for Redis before going on without it. */
    startupWaitMs: 2000,
  },
  namespace: {
    /** The longest a load may take, from its stamp to its write, unless the namespace says otherwise. */
    loadDeadlineMs: 30_000,
    /** Distributed single flight, unless the namespace says otherwise: lock lease and how long others wait. */
    flight: { leaseMs: 3_000, maxWaitMs: 10_000 },
  },
  flight: {
    /** How often a waiter looks for the holder's result. */
    pollMs: 20,
    /** How long a handed-over result waits in Redis for the waiters to take it. */
    handoffTtlMs: 30_000,
  },
  bus: {
    /** How often changes Redis or the bus could not take are tried again. */
    replayEveryMs: 1000,
  },
  /** For a namespace whose every acknowledged change must show on every instance (billing lists). */
  consistency: {
    /**
     * While this instance cannot hear the others' invalidations (its channel lost, or not yet
     * resynchronised), an in-process copy is served only this young: the bus delay the design
     * allows a change to take to reach another instance.
     */
    deafLocalMs: 100,
    /**
     * How long an invalidation Redis or the bus could not take holds the change's acknowledgement
     * while it is tried again: longer than a failover takes to be followed (a promotion and the
     * clients' reconnection took about 4 s in docs/load.md); past it the change is acknowledged anyway.
     */
    invalidationWaitMs: 5000,
    /** How often a held invalidation is tried again. */
    retryEveryMs: 50,
  },
  entryCount: {
    /** How often the shared entries are counted; the stats answer the last count. */
    everyMs: 1000,
    /** A burst of writes is counted once, this long after the first. */
    afterChangeMs: 20,
  },
  demand: {
    /** Hit counts halve every hour, in-process and in Redis: hot means hot lately. */
    halfLifeMs: 3_600_000,
    /** Keys whose hits are counted; the rest are too cold to matter. */
    countedKeys: 10_000,
    /** One instance a minute decays the shared counts. */
    decayEveryMs: 60_000,
    /** A decayed count this low is no demand at all. */
    forgetBelow: 0.05,
  },
  compression: {
    /**
     * Under 1 KB an answer fits a packet or two: compressing it saves little and costs an encoded
     * copy per entry.
     */
    minBytes: 1024,
    /**
     * Brotli 5 and gzip 6 take about 0.3 and 0.2 ms for a 54 KB list (once per entry, on the event
     * loop), for 3 and 4 % of its size; brotli 11 saves another 0.4 % for 90 ms.
     */
    brotliQuality: 5,
    gzipLevel: 6,
    /** Distinct Accept-Encoding headers whose choice is remembered. */
    negotiatedHeaders: 256,
  },
} as const;
