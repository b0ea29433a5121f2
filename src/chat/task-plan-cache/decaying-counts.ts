interface Count {
  score: number;
  /** When the score was last brought up to date. */
  at: number;
}

function decayed(count: Count, now: number, halfLifeMs: number): number {
  return now === count.at ? count.score : count.score * 2 ** (-(now - count.at) / halfLifeMs);
}

/**
 * Hit counts that fade: each halves every `halfLifeMs`, so a plan hot last week does not outrank
 * one hot now. Bounded: past `maxKeys` the weakest are dropped. Decay is computed when a count is
 * read or added, so an idle key costs nothing.
 */
export class DecayingCounts {
  readonly #counts = new Map<string, Count>();

  constructor(
    private readonly halfLifeMs: number,
    private readonly maxKeys: number,
  ) {}

  add(key: string, now: number, amount = 1): void {
    const count = this.#counts.get(key);
    if (count) {
      // In place: a hit on the hot path allocates nothing.
      count.score = decayed(count, now, this.halfLifeMs) + amount;
      count.at = now;
      return;
    }
    this.#counts.set(key, { score: amount, at: now });
    if (this.#counts.size > this.maxKeys * 1.25) this.#trim(key, now);
  }

  score(key: string, now: number): number {
    const count = this.#counts.get(key);
    return count ? decayed(count, now, this.halfLifeMs) : 0;
  }

  get size(): number {
    return this.#counts.size;
  }

  /**
   * Keeps the `maxKeys` highest counts, and the key just counted, so that a newcomer can grow
   * (trimming in batches keeps adds cheap on average).
   */
  #trim(newcomer: string, now: number): void {
    const ranked = [...this.#counts]
      .filter(([key]) => key !== newcomer)
      .map(([key, count]) => [key, decayed(count, now, this.halfLifeMs), count] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, this.maxKeys - 1);
    const added = this.#counts.get(newcomer);
    this.#counts.clear();
    for (const [key, , count] of ranked) this.#counts.set(key, count);
    if (added) this.#counts.set(newcomer, added);
  }
}
