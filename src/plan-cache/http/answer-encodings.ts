import { constants, brotliCompressSync, gzipSync } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import { Injectable } from '@nestjs/common';
import { withVary, type AnswerHeaders, type AnswerRequest } from '../../common/index.js';
import { EngineTunables } from '../tunables.js';

const ANSWER_COMPRESSION = EngineTunables.compression;

export type AnswerEncoding = 'br' | 'gzip';

type Encoded = Partial<Record<AnswerEncoding, Buffer>>;

const COMPRESS: Record<AnswerEncoding, (bytes: Buffer) => Buffer> = {
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: ANSWER_COMPRESSION.brotliQuality,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gzip: (bytes) => gzipSync(bytes, { level: ANSWER_COMPRESSION.gzipLevel }),
};

/**
 * Cached answers in the encoding the client accepts (brotli first, then gzip), compressed once per
 * answer: the bytes of a cached answer are one Buffer for the life of its entry, so its encoded
 * copies are kept beside it (weakly: they go when the entry goes) and a hit still writes prepared
 * bytes. An encoded answer has its own entity tag and says `Vary: Accept-Encoding`; answers under
 * `EngineTunables.compression.minBytes` stay plain, where compression would save less than it costs.
 */
@Injectable()
export class AnswerEncodings {
  readonly #encoded = new WeakMap<Buffer, Encoded>();
  readonly #negotiator = new Negotiator<AnswerEncoding>({
    supportedValues: ['br', 'gzip'],
    cache: new BoundedCache(ANSWER_COMPRESSION.negotiatedHeaders),
  });

  /** The bytes to send for `body`, with the headers of their encoding set on `reply`. */
  encode(request: AnswerRequest, reply: AnswerHeaders, body: Buffer): Buffer {
    if (body.length < ANSWER_COMPRESSION.minBytes) return body;
    reply.header('vary', withVary(reply.getHeader('vary'), 'Accept-Encoding'));
    const accepted = request.headers['accept-encoding'];
    const encoding = accepted === undefined ? null : this.#negotiator.negotiate(accepted);
    if (encoding === null) return body;
    const etag = reply.getHeader('etag');
    if (typeof etag === 'string') reply.header('etag', encodedEtag(etag, encoding));
    reply.header('content-encoding', encoding);
    return this.#compressed(body, encoding);
  }

  #compressed(body: Buffer, encoding: AnswerEncoding): Buffer {
    let encoded = this.#encoded.get(body);
    if (!encoded) this.#encoded.set(body, (encoded = {}));
    return (encoded[encoding] ??= COMPRESS[encoding](body));
  }
}

/** `"tag"` → `"tag-br"`, `W/"tag"` → `W/"tag-br"`: a representation's tag names its encoding. */
export function encodedEtag(etag: string, encoding: AnswerEncoding): string {
  return etag.endsWith('"') ? `${etag.slice(0, -1)}-${encoding}"` : etag;
}

/**
 * The negotiator's memory of headers it has judged: clients send a handful of distinct
 * `Accept-Encoding` values, but anyone can send more, so it starts afresh when full.
 */
class BoundedCache {
  readonly #values = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.#values.has(key);
  }

  get(key: string): string | undefined {
    return this.#values.get(key);
  }

  set(key: string, value: string): this {
    if (this.#values.size >= this.capacity) this.#values.clear();
    this.#values.set(key, value);
    return this;
  }
}
