/**
 * Hit counts that fade: each halves every `halfLifeMs`, so a plan hot last week does not outrank
 * one hot now. Bounded: past `maxKeys` the weakest are dropped. Decay is computed when a count is
 * read or added, so an idle key costs nothing.
 */
export class DecayingCounts {
  readonly #counts = new Map<string, { score: number; at: number }>();

  constructor(
    private readonly halfLifeMs: number,
    private readonly maxKeys: number,
  ) {}

  add(key: string, now: number, amount = 1): void {
    const score = this.score(key, now) + amount;
    // Re-inserting keeps the map in order of last use, the order trimming goes by.
    this.#counts.delete(key);
    this.#counts.set(key, { score, at: now });
    if (this.#counts.size > this.maxKeys * 1.25) this.#trim(key, now);
  }

  score(key: string, now: number): number {
    const count = this.#counts.get(key);
    return count ? count.score * 2 ** (-(now - count.at) / this.halfLifeMs) : 0;
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
      .map(([key, count]) => [key, count.score * 2 ** (-(now - count.at) / this.halfLifeMs), count] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, this.maxKeys - 1);
    const added = this.#counts.get(newcomer);
    this.#counts.clear();
    for (const [key, , count] of ranked) this.#counts.set(key, count);
    if (added) this.#counts.set(newcomer, added);
  }
}
