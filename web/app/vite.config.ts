// The agent app (issue 4): built into dist/web/app and served at `/` by src/http/routes/app.ts.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  build: {
    outDir: here('../../dist/web/app'),
    emptyOutDir: true,
    // Hashed file names under /assets: served with an immutable cache header.
    assetsDir: 'assets',
    sourcemap: true,
  },
  server: {
    // `npx vite --config web/app/vite.config.ts` for development against `npm start` on :3000.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
