/** Hit counts halve every hour, in-process and in Redis: hot means hot lately. */
export const HIT_HALF_LIFE_MS = 3_600_000;

/** Keys whose hits are counted; the rest are too cold to matter. */
export const COUNTED_KEYS = 10_000;
