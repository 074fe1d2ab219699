import { z } from 'zod';
import { deadLetterSchema } from './dead-letter.js';
import { inputJsonSchema } from './documented.js';
import { envelopeSchema } from './envelope.js';
import { eventRegistry, type EventDefinition } from './registry.js';
import { acceptedCompression, courierStatusChannel, deadLetterTopic, topics, type TopicSpec } from './topics.js';

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

const KAFKA_BINDING_VERSION = '0.5.0';

/** The Kafka key of a channel's messages, as AsyncAPI's Kafka message binding states it. */
function keyBinding(key: string): JsonObject {
  return { kafka: { key: { type: 'string', description: key }, bindingVersion: KAFKA_BINDING_VERSION } };
}

function messageOf(definition: EventDefinition, key: string): JsonObject {
  return {
    name: definition.type,
    title: definition.type,
    summary: definition.description,
    contentType: 'application/json',
    payload: eventJsonSchema(definition),
    bindings: keyBinding(key),
  };
}

const messageId = (type: string) => type.replace(/\./g, '_');
const refs = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, { $ref: `#/components/messages/${id}` }]));

/**
 * AsyncAPI 3.0 document of the topics couriers and IoT gateways publish to, their dead-letter
 * topics, and each courier's own status topic, generated from the same zod schemas the services
 * validate with.
 */
export function asyncApiDocument(): JsonObject {
  const definitions = Object.values(eventRegistry) as EventDefinition[];
  const external = (Object.entries(topics) as [string, TopicSpec][]).filter(([, spec]) => spec.external);
  const channels: JsonObject = {};
  const operations: JsonObject = {};
  const messages: JsonObject = {
    dead_letter: {
      name: 'dead_letter',
      title: 'dead letter',
      summary: 'A message a consumer refused (or the refused items of a batch), with the original message and the reasons.',
      contentType: 'application/json',
      payload: inputJsonSchema(deadLetterSchema),
      bindings: keyBinding('the original message’s key; when it had none, the event’s subject (a partly refused batch) or "unkeyed"'),
    },
  };
  for (const [key, spec] of external) {
    const ids = definitions.filter((d) => d.topic === key).map((d) => {
      messages[messageId(d.type)] = messageOf(d, spec.key);
      return messageId(d.type);
    });
    channels[key] = {
      address: spec.name,
      description: `${spec.description} Key: ${spec.key}. Compression: ${acceptedCompression.join(', ')} or none. Prefix with the deployment's TOPIC_PREFIX.`,
      messages: refs(ids),
      bindings: { kafka: { topic: spec.name, bindingVersion: KAFKA_BINDING_VERSION } },
      'x-accepted-compression': [...acceptedCompression],
    };
    operations[`publish_${key}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      summary: `The platform receives what ${spec.external === 'courier' ? 'couriers' : 'IoT gateways'} publish here.`,
    };
    const dlq = `${key}DeadLetters`;
    channels[dlq] = {
      address: deadLetterTopic(spec.name),
      description: `Messages of ${spec.name} a consumer refused, with the reasons; for a batch, only the refused items (failedIndexes). Key: the original message's.`,
      messages: refs(['dead_letter']),
      bindings: { kafka: { topic: deadLetterTopic(spec.name), bindingVersion: KAFKA_BINDING_VERSION } },
    };
    operations[`deadLetter_${key}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${dlq}` },
      summary: `The platform dead-letters what it refuses of ${spec.name} here.`,
    };
  }
  const statusIds = definitions
    .filter((d) => d.topic === 'courierStatus' || d.topic === 'parcelEvents')
    .map((d) => {
      messages[messageId(d.type)] = messageOf(d, d.topic === 'courierStatus' ? courierStatusChannel.key : 'parcel id');
      return messageId(d.type);
    });
  channels.courierStatus = {
    address: courierStatusChannel.name,
    description: `${courierStatusChannel.description} Key: ${courierStatusChannel.key}. Recipients are masked. Prefix with the deployment's TOPIC_PREFIX.`,
    parameters: { courierId: { description: 'the courier’s id in the county, as in its access key’s scope' } },
    messages: refs(statusIds),
    bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
  };
  operations.courierStatus = {
    action: 'send',
    channel: { $ref: '#/channels/courierStatus' },
    summary: 'The platform sends each courier its own events: the topic exists from the courier’s registration on.',
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'County logistics — courier and IoT event contracts',
      version: '0.1.0',
      description:
        'Events couriers and IoT gateways publish to the county platform over Kafka, what the platform sends back to ' +
        'each courier, and the dead letters of what it refuses. Every message is the envelope of docs/architecture.md §3 with ' +
        '`data` as given per message; instants may carry an offset (+08:00) and are published in UTC.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages },
  };
}
