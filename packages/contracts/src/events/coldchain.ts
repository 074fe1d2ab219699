import { z } from 'zod';
import { idSchema, instantSchema } from '../common.js';

/** One temperature reading from a gateway on a refrigerated vehicle or in a cold room. */
export const readingRecordedSchema = z
  .object({
    containerId: idSchema,
    sensorId: idSchema,
    temperatureC: z.number().min(-60).max(80),
    humidityPct: z.number().min(0).max(100).optional(),
    measuredAt: instantSchema,
  })
  .strict();
