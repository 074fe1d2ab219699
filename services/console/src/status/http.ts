import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { upstreamNames, type UpstreamName } from '../config.js';
import { statusOf, type ReadyAnswer, type ServiceStatus } from './domain/status.js';

/** Each probe gives up after this: the header must show within about a second even when a service hangs. */
const PROBE_TIMEOUT_MS = 800;

async function probe(url: string): Promise<ReadyAnswer> {
  try {
    const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body: unknown = await res.json().catch(() => null);
    return { answered: true, httpStatus: res.status, body };
  } catch {
    return { answered: false };
  }
}

const statusSchema = z.enum(['up', 'down', 'degraded']);

/** `GET /api/console/status`: each service's readiness, for the console's header (no key needed). */
export function registerStatusRoutes(app: FastifyInstance, upstreams: Record<UpstreamName, string>): void {
  app.get(
    '/api/console/status',
    {
      config: { access: 'public' },
      schema: {
        tags: ['console'],
        summary: 'Whether each of the four services is up, degraded or down (its readiness, within a second)',
        response: { 200: z.object({ services: z.record(z.enum(upstreamNames), statusSchema) }) },
      },
    },
    async () => {
      const answers = await Promise.all(upstreamNames.map(async (name) => [name, statusOf(await probe(upstreams[name]))] as const));
      return { services: Object.fromEntries(answers) as Record<UpstreamName, ServiceStatus> };
    },
  );
}
