import { baseConfigShape } from '@county/platform';
import { z } from 'zod';

/** The service's name: its runtime, logs, metrics, consumer names and default schema. */
export const SERVICE = 'console';

const serviceUrl = (port: number) => z.url({ protocol: /^https?$/ }).default(`http://127.0.0.1:${port}`);

export const configSchema = z.object({
  ...baseConfigShape,
  PORT: baseConfigShape.PORT.default(3000),
  DB_SCHEMA: baseConfigShape.DB_SCHEMA.default(SERVICE),
  /** The four services behind the reverse proxy (`/api/<service>/…`). */
  INTAKE_URL: serviceUrl(3001),
  DISPATCH_URL: serviceUrl(3002),
  COLDCHAIN_URL: serviceUrl(3003),
  SLA_URL: serviceUrl(3004),
  /** Where buyers reach this console: trace codes print as `<PUBLIC_URL>/t/<code>`. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:3000')
    .transform((url) => url.replace(/\/+$/, '')),
  /** The built web app (`vite build`); by default services/console/web/dist. */
  WEB_DIST: z.string().min(1).optional(),
  /** Trace pages per client IP per minute (public, no key). */
  TRACE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
});

export type Config = z.infer<typeof configSchema>;

export const upstreamNames = ['intake', 'dispatch', 'coldchain', 'sla'] as const;
export type UpstreamName = (typeof upstreamNames)[number];

/** The four services' base URLs, by name. */
export function upstreamsOf(config: Pick<Config, 'INTAKE_URL' | 'DISPATCH_URL' | 'COLDCHAIN_URL' | 'SLA_URL'>): Record<UpstreamName, string> {
  return { intake: config.INTAKE_URL, dispatch: config.DISPATCH_URL, coldchain: config.COLDCHAIN_URL, sla: config.SLA_URL };
}
