#!/usr/bin/env node
// Reports Postgres, Redis, Kafka and Mosquitto without changing anything. Exit 0 when all four are usable.
//   node infra/status.mjs [--json]
import { infraStatus } from './lib/index.mjs';

try {
  const status = await infraStatus();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  } else {
    const { kafka, postgres, redis, mosquitto } = status;
    const kafkaText = {
      running: `running (pid ${kafka.pid}, started by infra/up.mjs, cluster ${kafka.clusterId})`,
      starting: `starting or hung (pid ${kafka.pid} is running but the broker does not answer; see ${kafka.serverLog})`,
      external: `running (not started by these scripts, cluster ${kafka.clusterId})`,
      'port-in-use': 'DOWN (the port is used by something that does not answer as Kafka)',
      stopped: 'stopped',
    }[kafka.state];
    const lines = [
      `kafka     ${kafka.brokers.padEnd(40)} ${kafkaText}`,
      `          jars ${kafka.jarsPresent ? 'present' : 'not fetched'}, storage ${kafka.storage.state === 'ok' ? `formatted (cluster ${kafka.storage.clusterId})` : kafka.storage.state === 'empty' ? 'not formatted' : `unusable (${kafka.storage.reason})`}${kafka.stalePidFile ? ', stale pid file' : ''}`,
      `postgres  ${postgres.url.padEnd(40)} ${postgres.up ? `up (server ${postgres.version})` : `DOWN (${postgres.error})`}`,
      `redis     ${redis.url.padEnd(40)} ${redis.up ? 'up' : `DOWN (${redis.error})`}`,
      `mqtt      ${mosquitto.url.padEnd(40)} ${mosquitto.up ? 'up' : `DOWN (${mosquitto.error})`}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.exit(status.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`[infra] ${error.message}\n`);
  process.exit(2);
}
