import type { Kafka } from '@county/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deadLetterCounter } from './count.js';

const responseSchema = z.object({
  topics: z.array(z.object({ topic: z.string(), waiting: z.number().int() })),
  total: z.number().int(),
});

/** `GET /api/console/dead-letters`: what waits on each dead-letter topic, for the live board. */
export function registerDeadLetterRoutes(app: FastifyInstance, deps: { kafka: Kafka; topicPrefix: string }): void {
  const counter = deadLetterCounter(deps.kafka, deps.topicPrefix);
  app.addHook('onClose', () => counter.close());
  app.get(
    '/api/console/dead-letters',
    {
      config: { access: ['admin', 'operator'] },
      schema: { tags: ['console'], summary: 'Dead letters waiting per dead-letter topic (npm run dlq -- list shows them)', response: { 200: responseSchema } },
    },
    async () => {
      const counts = await counter.count();
      return { topics: counts, total: counts.reduce((sum, c) => sum + c.waiting, 0) };
    },
  );
}
