import { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import { eventRegistry, type EventDefinition } from './registry.js';
import { topics, type TopicSpec } from './topics.js';

type JsonObject = Record<string, unknown>;

/** The full JSON Schema of one event: the envelope with its `data` schema in place. */
export function eventJsonSchema(definition: EventDefinition): JsonObject {
  const schema = envelopeSchema.extend({
    type: z.literal(definition.type),
    version: z.literal(definition.version),
    data: definition.data,
  });
  return {
    $id: `https://county-logistics.dev/schemas/${definition.type}.v${definition.version}.json`,
    title: definition.type,
    description: definition.description,
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
  };
}

/** One JSON Schema file per event type, by file name. */
export function eventJsonSchemas(): Record<string, JsonObject> {
  const files: Record<string, JsonObject> = {};
  for (const definition of Object.values(eventRegistry) as EventDefinition[]) {
    files[`${definition.type}.v${definition.version}.json`] = eventJsonSchema(definition);
  }
  return files;
}

/**
 * AsyncAPI 3.0 document of the topics couriers and IoT gateways publish to, generated from the same
 * zod schemas the services validate with.
 */
export function asyncApiDocument(): JsonObject {
  const external = Object.entries(topics).filter(([, spec]) => (spec as TopicSpec).external);
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {};
  for (const [key, spec] of external as [string, TopicSpec][]) {
    const definitions = (Object.values(eventRegistry) as EventDefinition[]).filter((d) => d.topic === key);
    const channelMessages: JsonObject = {};
    for (const definition of definitions) {
      const id = definition.type.replace(/\./g, '_');
      messages[id] = {
        name: definition.type,
        title: definition.type,
        summary: definition.description,
        contentType: 'application/json',
        payload: eventJsonSchema(definition),
      };
      channelMessages[id] = { $ref: `#/components/messages/${id}` };
    }
    channels[key] = {
      address: spec.name,
      description: `${spec.description} Key: ${spec.key}. Prefix with the deployment's TOPIC_PREFIX.`,
      messages: channelMessages,
    };
    operations[`publish_${key}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      summary: `The platform receives what ${spec.external === 'courier' ? 'couriers' : 'IoT gateways'} publish here.`,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'County logistics — courier and IoT event contracts',
      version: '0.1.0',
      description:
        'Events couriers and IoT gateways publish to the county platform over Kafka. Every message is the envelope ' +
        'of DESIGN.md §3 with `data` as given per message; invalid messages go to `<topic>.dlq` with the reason.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
