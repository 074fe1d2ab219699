import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import { platformError } from '@county/platform';
import type { FastifyInstance } from 'fastify';

/** Paths that belong to the service, never to the web app: an unknown one there is a 404, not index.html. */
const SERVICE_PATHS = /^\/(api|t|docs|health|metrics|ready)(\/|$)/;
/** Vite names what it writes under assets/ by content hash: a changed file is a new name. */
const HASHED = /^\/assets\//;
const LONG_CACHE = 'public, max-age=31536000, immutable';

/**
 * The built web app (`vite build` → web/dist) on `/`: its files as they are, hashed assets cached for a year,
 * and index.html (no-cache, so a new build shows at once) for every other GET — the app routes in the browser
 * (SPA fallback). Without a build, `/` says how to make one.
 */
export async function registerWebApp(app: FastifyInstance, dist: string): Promise<void> {
  const root = resolve(dist);
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });
  app.get('/*', { config: { access: 'public', rateLimit: false }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (SERVICE_PATHS.test(path)) throw platformError('NOT_FOUND', `no route ${request.method} ${path}`);
    if (!existsSync(resolve(root, 'index.html'))) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`The console's web app is not built: run \`npm run build -w @county/console\` (or \`npm start\`), then reload.\n`);
    }
    const file = fileIn(root, path);
    if (file) return reply.header('cache-control', HASHED.test(path) ? LONG_CACHE : 'no-cache').sendFile(file, root);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  });
}

/** The file of `dist` a URL path names, relative to it; undefined for a directory, a miss, or a path outside it. */
function fileIn(root: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const full = resolve(root, `.${decoded}`);
  if (!full.startsWith(`${root}${sep}`)) return undefined;
  try {
    return statSync(full).isFile() ? full.slice(root.length + 1) : undefined;
  } catch {
    return undefined;
  }
}
