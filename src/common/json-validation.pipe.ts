import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';

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
    if (metadata.type === 'body' && metadata.metatype !== undefined && !isPlainObject(value)) {
      throw new BadRequestException('The request body must be a JSON object');
    }
    return super.transform(value, metadata);
  }
}

/** The first message of each wrong field, nested fields named by their path (`a.b`). */
export function messagesByField(errors: ValidationError[], parent = ''): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const [first] = Object.values(error.constraints ?? {});
    if (first !== undefined) fields[path] = first;
    Object.assign(fields, messagesByField(error.children ?? [], path));
  }
  return fields;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
