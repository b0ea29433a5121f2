// The module's public surface, what other modules use: they import it from here or from its *.module.ts,
// never from its other files (eslint.config.js, boundaries).
export { AdminOnly } from './admin-only.decorator.js';
export { AnswerHeaderList, type AnswerHeaders, type AnswerRequest } from './answer-request.js';
export { BearerSecret, bearerToken } from './bearer-secret.js';
export { BodyTooLargeError, bodyStart, cappedFetch, cappedText, readCappedJson } from './capped-body.js';
export { catchUpCounter } from './catch-up-counter.js';
export { conditionalGet } from './conditional-get.js';
export { DomainError } from './domain-error.js';
export { strongEtag } from './entity-tag.js';
export { ErrorResponseDto } from './error-response.dto.js';
export {
  FrontDoor,
  askedAtFrontDoor,
  bodyReadEarly,
  keepBodyReadEarly,
  parseJson,
  readableEarly,
  readBody,
  type FastAnswerSlot,
  type FrontDoorHeaders,
} from './front-door.js';
export { HttpExceptionFilter, toErrorBody } from './http-exception.filter.js';
export { acceptJsonBodiesOnly } from './json-body-parser.js';
export { JsonValidationPipe, OptionalBody } from './json-validation.pipe.js';
export { keyedDigest } from './keyed-digest.js';
export { JSON_CONTENT_TYPE } from './media-types.js';
export { METRICS_REGISTRY } from './metrics-registry.js';
export { CALLER_JWT, RATE_LIMIT_HEADERS, openApiDocument, stringHeader } from './openapi.js';
export { PACKAGE_ROOT } from './package-root.js';
export { PublicAnswerInterceptor } from './public-answer.interceptor.js';
export { installRequestBasics, routeConfigOf } from './request-basics.js';
export { secretMatcher } from './secret-match.js';
export { setAnswerHeader, withVary } from './vary.js';
