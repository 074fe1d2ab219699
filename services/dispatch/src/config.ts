import { baseConfigShape } from '@county/platform';
import { z } from 'zod';

export const configSchema = z.object({
  ...baseConfigShape,
  PORT: baseConfigShape.PORT.default(3002),
  DB_SCHEMA: baseConfigShape.DB_SCHEMA.default('dispatch'),
});

export type Config = z.infer<typeof configSchema>;
