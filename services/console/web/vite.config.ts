import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The console's web app. `vite build` writes web/dist, which services/console serves on one origin with
// its reverse proxy (/api/<service>/…). `npm run dev:web -w @county/console` serves it with hot reload and
// proxies /api and /t to a console service on CONSOLE_URL (default http://127.0.0.1:3000).
const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.CONSOLE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 900 },
  server: { proxy: { '/api': target, '/t/': target } },
});
