/**
 * How a namespace's values cross Redis: as JSON, and checked on the way back. `decode` answers
 * undefined for anything malformed, foreign or planted, which the cache then treats as a miss.
 * Without `encode`, the value is written as it is (it is JSON already).
 */
export interface ValueCodec<V> {
  encode?(value: V): unknown;
  decode(json: unknown): V | undefined;
}

export function encodeWith<V>(codec: ValueCodec<V>, value: V): unknown {
  return codec.encode ? codec.encode(value) : value;
}
