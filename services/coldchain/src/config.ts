import { baseConfigShape } from '@county/platform';
import { z } from 'zod';

/** The service's name: its runtime, logs, metrics, event source, consumer names and default schema. */
export const SERVICE = 'coldchain';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const configSchema = z.object({
  ...baseConfigShape,
  PORT: baseConfigShape.PORT.default(3003),
  DB_SCHEMA: baseConfigShape.DB_SCHEMA.default(SERVICE),
  // Readings in (README "Readings in").
  /** How far in the future a reading's measuredAt may be (gateway clocks drift); later ones are refused. */
  READINGS_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** How long readings are kept: older months' partitions are dropped, older readings refused. */
  READINGS_RETENTION_DAYS: z.coerce.number().int().min(31).max(3_660).default(366),
  /** The MQTT broker gateways publish to (Mosquitto); `mqtts://` for TLS. */
  MQTT_URL: z.string().regex(/^mqtts?:\/\/[^\s]+$/, 'mqtt://host:port or mqtts://host:port').default('mqtt://127.0.0.1:1883'),
  /** Subscribe to MQTT at all (`false` for an instance that only serves REST and Kafka). */
  MQTT_ENABLED: flag.default(true),
  /**
   * The fixed client id of this instance's persistent session: messages published while it is away wait for it
   * under this id. One per instance; by default `<GROUP_PREFIX>coldchain-<hostname>`.
   */
  MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,120}$/, 'letters, digits and . _ : -, at most 120').optional(),
  /**
   * Sessions reading in parallel (`<clientId>-<i>`) through one shared subscription: each stores one message at a
   * time. Changing it leaves what waits in a dropped session's queue there: drain first (README "Readings in").
   */
  MQTT_SESSIONS: z.coerce.number().int().min(1).max(16).default(4),
  /** The broker's own authentication (Mosquitto's password file); unset for an anonymous local broker. */
  MQTT_USERNAME: z.string().min(1).optional(),
  MQTT_PASSWORD: z.string().min(1).optional(),
});

export type Config = z.infer<typeof configSchema>;
