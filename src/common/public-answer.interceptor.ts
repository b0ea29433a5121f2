import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { AppConfig } from '../config/index.js';
import { strongEtag } from './entity-tag.js';
import { JSON_CONTENT_TYPE } from './media-types.js';

/**
 * A public GET answer that browsers and shared caches may keep: serialized here, so that its
 * entity tag is the hash of the bytes sent, with the public `Cache-Control`. A client that has
 * the same bytes gets a 304 (see conditionalGet).
 */
@Injectable()
export class PublicAnswerInterceptor implements NestInterceptor {
  readonly #cacheControl: string;

  constructor(config: AppConfig) {
    this.#cacheControl = config.publicCacheControl;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<Buffer> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((value: unknown) => {
        const body = Buffer.from(JSON.stringify(value), 'utf8');
        void reply
          .header('content-type', JSON_CONTENT_TYPE)
          .header('etag', strongEtag(body))
          .header('cache-control', this.#cacheControl);
        return body;
      }),
    );
  }
}
