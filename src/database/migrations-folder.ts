import { join } from 'node:path';

/** `drizzle/` at the package root, the same from `src/database` (tests) and `dist/database` (build). */
export const MIGRATIONS_FOLDER = join(import.meta.dirname, '..', '..', 'drizzle');
