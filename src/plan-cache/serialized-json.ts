import type { FastifyReply } from 'fastify';
import { strongEtag } from '../common/entity-tag.js';
import type { ValueCodec } from './redis/value-codec.js';

/**
 * A JSON answer serialized once, when it is cached, and sent as the same bytes on every hit, with
 * its entity tag (computed once too) and the time it was made (for `Age`).
 */
export class SerializedJson {
  readonly etag: string;

  private constructor(
    readonly body: Buffer,
    /** Epoch milliseconds when the answer was made, on whichever instance made it. */
    readonly madeAt: number,
  ) {
    this.etag = strongEtag(body);
  }

  static of(value: unknown, madeAt = Date.now()): SerializedJson {
    return new SerializedJson(Buffer.from(JSON.stringify(value), 'utf8'), madeAt);
  }

  static fromText(json: string, madeAt = Date.now()): SerializedJson {
    return new SerializedJson(Buffer.from(json, 'utf8'), madeAt);
  }

  /** Whole seconds since the answer was made: the `Age` of a cached answer. */
  ageSeconds(now = Date.now()): number {
    return Math.max(0, Math.floor((now - this.madeAt) / 1000));
  }

  /** How it is written to Redis (JSON.stringify calls this): the text, not the bytes. */
  toJSON(): { json: string; at: number } {
    return { json: this.body.toString('utf8'), at: this.madeAt };
  }
}

/** A cached list crosses Redis as its JSON text, and must come back as a JSON array. */
export const SERIALIZED_LIST_CODEC: ValueCodec<SerializedJson> = {
  encode: (value) => value.toJSON(),
  decode: (raw) => {
    const { json: text, at } = (raw as { json?: unknown; at?: unknown } | null) ?? {};
    if (typeof text !== 'string') return undefined;
    try {
      if (!Array.isArray(JSON.parse(text))) return undefined;
    } catch {
      return undefined;
    }
    // Entries written before `at` existed count from now.
    return SerializedJson.fromText(text, typeof at === 'number' && Number.isFinite(at) ? at : Date.now());
  },
};

/**
 * The HTTP caching headers of a cached answer: its entity tag, how long browsers and shared
 * caches may keep it, and, when it was served from the cache, its age.
 */
export function cachedAnswerHeaders(
  reply: FastifyReply,
  answer: SerializedJson,
  cacheControl: string,
  hit: boolean,
): void {
  void reply.header('etag', answer.etag).header('cache-control', cacheControl);
  if (hit) void reply.header('age', String(answer.ageSeconds()));
}
