import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The console's web app. `vite build` writes web/dist, which services/console serves on one origin with
// its reverse proxy (/api/<service>/…). `npm run dev:web -w @county/console` serves it with hot reload and
// proxies /api and /t to a console service on CONSOLE_URL, or, without it, /api/<service> straight to the four
// services on their default ports.
const root = fileURLToPath(new URL('.', import.meta.url));
const target = process.env.CONSOLE_URL;
const direct = Object.fromEntries(
  Object.entries({ intake: 3001, dispatch: 3002, coldchain: 3003, sla: 3004 }).map(([name, port]) => [
    `/api/${name}`,
    { target: `http://127.0.0.1:${port}`, rewrite: (path: string) => path.slice(`/api/${name}`.length) },
  ]),
);

export default defineConfig({
  root,
  base: '/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 900 },
  server: { proxy: target ? { '/api': target, '/t/': target } : direct },
});
