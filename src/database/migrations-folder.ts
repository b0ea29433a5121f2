import { join } from 'node:path';
import { PACKAGE_ROOT } from '../common/index.js';

/** `drizzle/` at the package root. */
export const MIGRATIONS_FOLDER = join(PACKAGE_ROOT, 'drizzle');
