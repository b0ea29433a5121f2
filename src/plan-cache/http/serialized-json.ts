import type { FastifyReply } from 'fastify';
import { strongEtag } from '../../common/entity-tag.js';
import type { ValueCodec } from '../cache/value-codec.js';

/**
 * A JSON answer serialized once, when it is cached, and sent as the same bytes on every hit, with
 * its entity tag (computed once too).
 */
export class SerializedJson {
  readonly etag: string;

  private constructor(readonly body: Buffer) {
    this.etag = strongEtag(body);
  }

  static of(value: unknown): SerializedJson {
    return new SerializedJson(Buffer.from(JSON.stringify(value), 'utf8'));
  }

  static fromText(json: string): SerializedJson {
    return new SerializedJson(Buffer.from(json, 'utf8'));
  }

  /** How it is written to Redis (JSON.stringify calls this): the text, not the bytes. */
  toJSON(): { json: string } {
    return { json: this.body.toString('utf8') };
  }
}

/** A cached list crosses Redis as its JSON text, and must come back as a JSON array. */
export const SERIALIZED_LIST_CODEC: ValueCodec<SerializedJson> = {
  encode: (value) => value.toJSON(),
  decode: (raw) => {
    const text = (raw as { json?: unknown } | null)?.json;
    if (typeof text !== 'string') return undefined;
    try {
      if (!Array.isArray(JSON.parse(text))) return undefined;
    } catch {
      return undefined;
    }
    return SerializedJson.fromText(text);
  },
};

/**
 * The HTTP caching headers of a cached answer: its entity tag, and how long browsers and shared
 * caches may keep it. No `Age`: the cache in this service is invalidated by every write, so an
 * answer from it is as current as a database read when it leaves, first-hand for any cache
 * downstream, which may then keep it for its whole max-age (docs/decisions.md).
 */
export function cachedAnswerHeaders(reply: FastifyReply, answer: SerializedJson, cacheControl: string): void {
  void reply.header('etag', answer.etag).header('cache-control', cacheControl);
}
