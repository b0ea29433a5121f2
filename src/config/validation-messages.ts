import type { ValidationError } from 'class-validator';

/** The first message of each wrong field, nested fields named by their path (`variants.1.weight`). */
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
