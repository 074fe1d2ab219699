import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { isolation, testConfig } from '../../../tests/support/harness.js';
import { intakeApp } from './support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const iso = isolation();
let intake: Awaited<ReturnType<typeof intakeApp>> | undefined;

afterAll(() => intake?.close());

/** Runs the command as an operator would, on a schema intake has never started on. */
function createAdmin(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'key:create-admin', '--', ...args], {
      cwd: root,
      env: { ...process.env, ...inject('infra'), DB_SCHEMA: iso.schema, TOPIC_PREFIX: iso.topicPrefix, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run key:create-admin', () => {
  it('migrates intake’s schema and prints, once, an admin key that works', async () => {
    const run = await createAdmin(['--county', 'cn-511623', '--name', 'county admin']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const key = lines[0]!;
    expect(key).toMatch(/^ck_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const keyId = key.slice(3, 19);
    expect(run.stderr).not.toContain(key.slice(`ck_${keyId}_`.length));
    expect(run.stderr).toContain(keyId);

    intake = await intakeApp(testConfig(iso));
    const res = await intake.app.inject({ method: 'GET', url: '/keys', headers: { 'x-api-key': key } });
    expect(res.statusCode).toBe(200);
    expect(res.json().keys).toEqual([expect.objectContaining({ role: 'admin', countyId: 'cn-511623', name: 'county admin' })]);
    const { rows } = await intake.pool.query(`SELECT payload->>'type' AS type FROM outbox`);
    expect(rows).toEqual([{ type: 'access.key_issued' }]);
  });

  it('refuses to run without a valid county', async () => {
    const missing = await createAdmin([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--county is required');
    const bad = await createAdmin(['--county', 'Not A County']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
  });
});
