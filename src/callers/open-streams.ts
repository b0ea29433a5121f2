import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/index.js';
import type { Caller } from './caller.js';
import { CallerMetrics } from './caller.metrics.js';
import { TooManyStreamsError } from './limit-refusal.error.js';

/** A stream that ends frees its place at once; this is when a refused client is told to retry. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Event streams each caller holds open on this instance, at most LIMIT_STREAMS_PER_CALLER: a
 * stream joined to a running generation costs nothing upstream, but its connection, heartbeats and
 * buffers are held as long as the caller likes. Counted per process (a caller spread over N
 * instances may hold N times the limit); a place is given back once, when the stream closes.
 */
@Injectable()
export class OpenStreams {
  readonly #open = new Map<string, number>();
  readonly #limit: number;

  constructor(
    config: AppConfig,
    private readonly metrics: CallerMetrics,
  ) {
    this.#limit = config.limits.streamsPerCaller;
  }

  /** Takes a place for one more open stream of `caller`; resolves to the function that gives it back. */
  open(caller: Caller): () => void {
    const key = caller.budgetKey;
    const open = this.#open.get(key) ?? 0;
    if (open >= this.#limit) {
      this.metrics.refused('streams_per_caller');
      throw new TooManyStreamsError(this.#limit, RETRY_AFTER_SECONDS);
    }
    this.#open.set(key, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left > 0) this.#open.set(key, left);
      else this.#open.delete(key);
    };
  }
}
