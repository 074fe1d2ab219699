import { baseConfigShape } from '@county/platform';
import { z } from 'zod';

/** The service's name: its runtime, logs, metrics, event source, consumer names and default schema. */
export const SERVICE = 'sla';

export const configSchema = z.object({
  ...baseConfigShape,
  PORT: baseConfigShape.PORT.default(3004),
  DB_SCHEMA: baseConfigShape.DB_SCHEMA.default(SERVICE),
});

export type Config = z.infer<typeof configSchema>;
