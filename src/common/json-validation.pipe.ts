import { BadRequestException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { messagesByField } from '../config/index.js';

const OPTIONAL_BODY = Symbol('optional body');

/** Marks a body DTO whose fields are all optional: a request without a body is validated as `{}`. */
export const OptionalBody = (): ClassDecorator => (target) => Reflect.defineMetadata(OPTIONAL_BODY, true, target);

/**
 * The global pipe: class-validator DTOs, unknown fields refused, one message per wrong field,
 * and a body that is not a JSON object (an array, a string, a number) refused as such.
 * A 400 also carries `fields` (field name → its message), so that a form can show each message
 * beside its field.
 */
export class JsonValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: true,
      exceptionFactory: (errors) => {
        const fields = messagesByField(errors);
        return new BadRequestException({ message: Object.values(fields), fields });
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value === undefined && metadata.metatype) {
      if (Reflect.getMetadata(OPTIONAL_BODY, metadata.metatype) === true) return super.transform({}, metadata);
    }
    if (metadata.type === 'body' && metadata.metatype !== undefined && !isPlainObject(value)) {
      throw new BadRequestException('The request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
