/**
 * How a namespace's values cross Redis: as JSON, and checked on the way back. `decode` answers
 * undefined for anything malformed, foreign or planted, which the cache then treats as a miss.
 */
export interface ValueCodec<V> {
  encode(value: V): unknown;
  decode(json: unknown): V | undefined;
}
