import { spawn } from 'node:child_process';
import { deadLetterTopic } from '@county/contracts';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { waitFor } from '../../../tests/support/harness.js';
import { publish, readDeadLetters } from '../src/index.js';
import { messagingFixture, reading, READINGS, recordReadings, type MessagingFixture } from './support/messaging.js';

const cli = fileURLToPath(new URL('../dist/cli/dlq.js', import.meta.url));
let fx: MessagingFixture;

afterEach(async () => {
  await fx?.close();
});

function dlq(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH, KAFKA_BROKERS: inject('infra').KAFKA_BROKERS, TOPIC_PREFIX: fx.iso.topicPrefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run dlq', () => {
  it('lists a dead-letter topic and replays the chosen record to its topic', async () => {
    fx = await messagingFixture();
    fx.relay();
    await fx.consumer({ handlers: recordReadings({ requireKnownContainer: true }), maxAttempts: 1 });
    const event = reading('reefer-2', 4);
    await publish(fx.producer, fx.topic(READINGS), [{ key: 'reefer-2', value: JSON.stringify(event) }]);
    await waitFor(async () => ((await readDeadLetters(fx.kafka, deadLetterTopic(fx.topic(READINGS)))).length === 1 ? true : undefined));

    const listed = await dlq(['list', READINGS]);
    expect(listed.code, listed.stderr).toBe(0);
    const [line] = listed.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(line).toMatchObject({ at: '0:0', reason: 'unknown container reefer-2', original: { key: 'reefer-2' } });
    expect(listed.stderr).toContain('1 dead letter(s)');

    const missing = await dlq(['replay', READINGS, '--offsets', '0:9']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no dead letter at 0:9');

    await fx.directPool.query(`INSERT INTO known_containers (id) VALUES ('reefer-2')`);
    const replayed = await dlq(['replay', READINGS, '--offsets', '0:0']);
    expect(replayed.code, replayed.stderr).toBe(0);
    await waitFor(async () => ((await fx.applied()).length === 1 ? true : undefined));
    expect((await fx.applied())[0]!.event_id).toBe(event.id);
  });

  it('explains its usage when called wrongly', async () => {
    fx = await messagingFixture();
    const wrong = await dlq(['purge', READINGS]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('usage: dlq list <topic>');
  });
});
