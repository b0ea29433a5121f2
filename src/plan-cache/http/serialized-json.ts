import { strongEtag } from '../../common/index.js';
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

/**
 * How serialized answers cross Redis: as their JSON text, accepted back only if it parses and
 * `accepts` its parsed value (e.g. only arrays, for lists).
 */
export function serializedJsonCodec(accepts: (parsed: unknown) => boolean): ValueCodec<SerializedJson> {
  return {
    encode: (value) => value.toJSON(),
    decode: (raw) => {
      const text = (raw as { json?: unknown } | null)?.json;
      if (typeof text !== 'string') return undefined;
      try {
        if (!accepts(JSON.parse(text))) return undefined;
      } catch {
        return undefined;
      }
      return SerializedJson.fromText(text);
    },
  };
}
