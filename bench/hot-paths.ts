import { hotPaths } from './hot-paths/index.js';

/** The hot-path sections alone, printed as JSON for a quick look; `npm run bench` writes them into docs/load.md. */
process.stdout.write(`${JSON.stringify(await hotPaths(), null, 2)}\n`);
