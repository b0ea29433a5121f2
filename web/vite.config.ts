import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The web console: built into dist/public, which the service serves at `/`. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../dist/public', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    // `npm run dev:web` next to a running service: the console's API calls go to it.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
