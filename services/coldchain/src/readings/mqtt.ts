import { hostname } from 'node:os';
import { isOutage, sleep, type HealthCheck, type Logger } from '@county/platform';
import mqtt, { type MqttClient } from 'mqtt';
import { readingsSubscription } from './domain/mqtt-topic.js';
import { deadLetterFailure, handleMqttMessage, type MqttMessageDeps, type MqttOutcome } from './mqtt-message.js';

export interface MqttSettings {
  url: string;
  /** The fixed client id of the instance; with several sessions, session i is `<clientId>-<i>`. */
  clientId: string;
  /** Sessions reading in parallel through one shared subscription (`$share/<group>/…`); 1: a plain subscription. */
  sessions: number;
  /** The shared subscription's group: the instances of one deployment share it. */
  shareGroup: string;
  username?: string;
  password?: string;
}

export interface MqttReadings {
  /** `mqtt`, not critical: gateways' messages wait in the broker while the service cannot read them. */
  health: HealthCheck;
  /** Stops reading: messages in hand are finished and acknowledged first; the sessions stay in the broker. */
  stop(): Promise<void>;
}

/** The default client id: fixed per host, so a restarted instance resumes its sessions. */
export function defaultClientId(groupPrefix: string): string {
  return `${groupPrefix}coldchain-${hostname().replace(/[^A-Za-z0-9._:-]/g, '-')}`.slice(0, 120);
}

/** How long the broker keeps a session (its subscriptions and queued messages) while the service is away. */
const SESSION_EXPIRY_S = 7 * 24 * 3600;

/**
 * Subscribes to every county's container readings (`county/+/coldchain/<containerId>/readings`, QoS 1) with
 * persistent sessions — MQTT 5, clean start off, fixed client ids, sessions that outlive a restart — and
 * acknowledges each message (PUBACK, mqtt.js `customHandleAcks`) only once its readings and dead letters are
 * committed. A message read but not yet stored when the process dies is not acknowledged, so the broker sends it
 * again when the session resumes; the ingest stores a reading once, however often it comes.
 *
 * mqtt.js hands a session one message at a time while an acknowledgement waits (each stored in one transaction),
 * so with `sessions` > 1 the sessions share one subscription (`$share/<group>/…`): the broker deals the messages
 * out among them — those of a session that is away wait in its queue — and they are stored in parallel.
 */
export function startMqttReadings(deps: MqttMessageDeps & { logger: Logger; settings: MqttSettings }): MqttReadings {
  const { settings } = deps;
  const count = Math.max(1, settings.sessions);
  const filters = readingsSubscription(deps.topicPrefix).map((f) => (count > 1 ? `$share/${settings.shareGroup}/${f}` : f));
  const sessions = Array.from({ length: count }, (_, i) => openSession(deps, count > 1 ? `${settings.clientId}-${i}` : settings.clientId, filters));
  return {
    health: {
      name: 'mqtt',
      critical: false,
      check: async () => {
        const down = sessions.filter((s) => !s.client.connected).length;
        if (down > 0) throw new Error(`${down} of ${count} session(s) not connected to ${settings.url}`);
      },
    },
    stop: async () => void (await Promise.all(sessions.map((s) => s.stop()))),
  };
}

function openSession(deps: MqttMessageDeps & { logger: Logger; settings: MqttSettings }, clientId: string, filters: string[]) {
  const log = deps.logger.child({ component: 'mqtt-readings', clientId });
  const stopping = new AbortController();
  let inHand: Promise<unknown> = Promise.resolve();
  let closing = false;
  let away = false;

  /** Until stored or dead-lettered; an outage is waited out (the message is not acknowledged meanwhile). */
  const settle = async (message: { topic: string; payload: Buffer; messageId: number | undefined }): Promise<MqttOutcome> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await handleMqttMessage(deps, message);
      } catch (err) {
        if (!isOutage(err)) {
          // A bug, not the message's fault nor an outage: dead-lettered with the reason, so one message cannot stop the stream.
          log.error({ err, topic: message.topic }, 'mqtt message failed');
          try {
            return await deadLetterFailure(deps, message, err as Error);
          } catch (failure) {
            if (!isOutage(failure)) throw failure;
          }
        }
        if (attempt === 0) log.warn({ err: (err as Error).message, topic: message.topic }, 'infrastructure unavailable; holding the mqtt message and retrying');
        await sleep(Math.min(500 * 2 ** attempt, 15_000), stopping.signal);
      }
    }
  };

  const client: MqttClient = mqtt.connect(deps.settings.url, {
    protocolVersion: 5,
    clientId,
    clean: false,
    properties: { sessionExpiryInterval: SESSION_EXPIRY_S },
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(deps.settings.username ? { username: deps.settings.username } : {}),
    ...(deps.settings.password ? { password: deps.settings.password } : {}),
    customHandleAcks: (topic, payload, packet, ack) => {
      // Closing: not read, not acknowledged; the broker sends it again to the next session.
      if (closing) return;
      inHand = settle({ topic, payload, messageId: packet.messageId as number | undefined }).then(
        (outcome) => {
          if (outcome.kind === 'dead_lettered') log.warn({ topic, reason: outcome.reason }, 'mqtt message dead-lettered');
          else if (outcome.refused > 0) log.warn({ topic, ...outcome }, 'mqtt readings refused in part; dead-lettered');
          ack(0);
        },
        (err: unknown) => {
          // Given up while stopping, or a failure to dead-letter: not acknowledged, so the broker sends it again.
          if (!stopping.signal.aborted) log.error({ err, topic }, 'mqtt message neither stored nor dead-lettered; left unacknowledged');
        },
      );
    },
  });

  client.on('connect', (connack) => {
    if (away) log.info('mqtt broker reachable again');
    away = false;
    log.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
    client.subscribe(filters, { qos: 1 }, (err) => {
      if (err) log.error({ err }, 'mqtt subscribe failed');
    });
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'mqtt client error'));
  client.on('offline', () => {
    if (!away && !stopping.signal.aborted) log.warn({ url: deps.settings.url }, 'mqtt broker unavailable; gateways’ messages wait in it');
    away = true;
  });

  return {
    client,
    stop: async () => {
      closing = true;
      // The message in hand finishes and is acknowledged; one held by an outage is given up unacknowledged.
      let stuck = false;
      const timeout = new Promise<void>((resolve) => setTimeout(() => resolve(void (stuck = true)), 5_000).unref());
      await Promise.race([inHand.catch(() => undefined), timeout]);
      stopping.abort(new Error('stopping'));
      await client.endAsync(stuck).catch(() => undefined);
    },
  };
}
