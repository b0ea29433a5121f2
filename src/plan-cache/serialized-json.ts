import type { ValueCodec } from './redis/value-codec.js';

/**
 * A JSON answer serialized once, when it is cached, and sent as the same bytes on every hit.
 */
export class SerializedJson {
  private constructor(readonly body: Buffer) {}

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
      return Array.isArray(JSON.parse(text)) ? SerializedJson.fromText(text) : undefined;
    } catch {
      return undefined;
    }
  },
};

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
