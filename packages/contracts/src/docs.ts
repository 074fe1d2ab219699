import { z } from 'zod';
import { deadLetterSchema } from './dead-letter.js';
import { readingSchema } from './events/coldchain.js';
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
 * AsyncAPI 3.0 document of the topics couriers and IoT gateways publish to (Kafka, and coldchain's MQTT topic per
 * county and container), their dead-letter topics, and each courier's own status topic, generated from the same zod
 * schemas the services validate with.
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
      servers: [{ $ref: '#/servers/kafka' }],
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
      servers: [{ $ref: '#/servers/kafka' }],
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
    servers: [{ $ref: '#/servers/kafka' }],
  };
  operations.courierStatus = {
    action: 'send',
    channel: { $ref: '#/channels/courierStatus' },
    summary: 'The platform sends each courier its own events: the topic exists from the courier’s registration on.',
  };
  addMqttReadings(channels, operations, messages);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'County logistics — courier and IoT event contracts',
      version: '0.1.0',
      description:
        'Events couriers and IoT gateways publish to the county platform over Kafka (and gateways’ readings over MQTT), what the platform sends back to ' +
        'each courier, and the dead letters of what it refuses. Every message is the envelope of docs/architecture.md §3 with ' +
        '`data` as given per message; instants may carry an offset (+08:00) and are published in UTC.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'The county’s Kafka (KAFKA_BROKERS); every channel but the MQTT one.' },
      mqtt: {
        host: '127.0.0.1:1883',
        protocol: 'mqtt',
        description:
          'The county’s MQTT broker (Mosquitto, MQTT_URL) that IoT gateways publish readings to. Gateways authenticate with the ' +
          'broker’s own password file; its ACL lets a gateway write only under its county’s prefix `county/<countyId>/`.',
      },
    },
    channels,
    operations,
    components: { messages },
  };
}

const MQTT_BINDING_VERSION = '0.2.0';

/**
 * coldchain's MQTT topic per county and container (services/coldchain README "Readings in"): the payload is a reading,
 * or a batch as on Kafka, not an envelope; the county comes from the topic. coldchain subscribes with QoS 1 and
 * persistent sessions and acknowledges a message once stored; what it refuses goes to `coldchain.readings.dlq`.
 */
function addMqttReadings(channels: JsonObject, operations: JsonObject, messages: JsonObject): void {
  const reading = inputJsonSchema(readingSchema) as JsonObject & { required?: string[]; properties: Record<string, JsonObject> };
  const topicReading = {
    ...reading,
    required: (reading.required ?? []).filter((field) => field !== 'containerId'),
    properties: { ...reading.properties, containerId: { ...reading.properties.containerId, description: 'may be left out: the topic’s container; when given it must be the topic’s' } },
  };
  messages.coldchain_mqtt_reading = {
    name: 'coldchain.mqtt_reading',
    title: 'one reading (MQTT)',
    summary: 'One temperature reading of the topic’s container.',
    contentType: 'application/json',
    payload: topicReading,
    bindings: { mqtt: { bindingVersion: MQTT_BINDING_VERSION } },
  };
  messages.coldchain_mqtt_readings = {
    name: 'coldchain.mqtt_readings',
    title: 'a batch of readings (MQTT)',
    summary: 'Up to 1,000 readings of the topic’s container, as `{ gatewayId?, readings: [...] }` or a bare JSON array; each is validated on its own.',
    contentType: 'application/json',
    payload: {
      oneOf: [
        {
          type: 'object',
          properties: { gatewayId: { type: 'string' }, readings: { type: 'array', items: topicReading, minItems: 1, maxItems: 1000 } },
          required: ['readings'],
          additionalProperties: false,
        },
        { type: 'array', items: topicReading, minItems: 1, maxItems: 1000 },
      ],
    },
    bindings: { mqtt: { bindingVersion: MQTT_BINDING_VERSION } },
  };
  channels.coldchainReadingsMqtt = {
    address: 'county/{countyId}/coldchain/{containerId}/readings',
    description:
      'IoT gateways’ readings over MQTT, one topic per county and container. Publish with QoS 1; coldchain subscribes with ' +
      'persistent sessions (MQTT 5, clean start off, fixed client ids, one shared subscription) and acknowledges a message ' +
      'only once its readings are stored, so nothing is lost when it restarts. A reading stored before (same container, ' +
      'sensor and measuredAt) is kept once. Bad messages or items are refused with the reason on `coldchain.readings.dlq` ' +
      '(consumer `coldchain.mqtt-readings`, the MQTT topic as `original.topic`). Prefix with the deployment’s TOPIC_PREFIX.',
    parameters: {
      countyId: { description: 'the county’s id (`cn-511623`), as in the gateway’s access' },
      containerId: { description: 'a vehicle compartment `<vehicleId>/refrigerated` or a station cold room `<stationId>/cold-room`: two topic levels' },
    },
    servers: [{ $ref: '#/servers/mqtt' }],
    messages: refs(['coldchain_mqtt_reading', 'coldchain_mqtt_readings']),
    bindings: { mqtt: { bindingVersion: MQTT_BINDING_VERSION } },
  };
  operations.publish_coldchainReadingsMqtt = {
    action: 'receive',
    channel: { $ref: '#/channels/coldchainReadingsMqtt' },
    summary: 'coldchain receives what IoT gateways publish here (QoS 1, acknowledged once stored).',
    bindings: { mqtt: { qos: 1, bindingVersion: MQTT_BINDING_VERSION } },
  };
}
