import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { root, services } from './support/stack.js';

const run = promisify(execFile);

async function composeWorks(): Promise<boolean> {
  try {
    await run('docker', ['compose', 'version'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  it('runs Kafka, Postgres, Redis and the four services, each service wired to all three and health-checked', async () => {
    const compose = parse(await readFile(`${root}/docker-compose.yml`, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
    const defaultPorts = { intake: 3001, dispatch: 3002, coldchain: 3003, sla: 3004 };
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['kafka', 'postgres', 'redis', ...services]));
    expect(compose.services.kafka!.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    for (const name of services) {
      const service = compose.services[name]!;
      expect(service.build, name).toBeDefined();
      expect(service.environment, name).toMatchObject({ PORT: expect.anything(), DATABASE_URL: expect.any(String), KAFKA_BROKERS: expect.any(String), REDIS_URL: expect.any(String) });
      expect(Number(service.environment!.PORT), name).toBe(defaultPorts[name]);
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(Object.keys(service.depends_on ?? {}).sort(), name).toEqual(['kafka', 'postgres', 'redis']);
    }
  });

  it('is valid for docker compose (where the compose plugin is installed)', async (context) => {
    if (!(await composeWorks())) context.skip();
    await expect(run('docker', ['compose', '-f', `${root}/docker-compose.yml`, 'config', '--quiet'], { timeout: 30_000 })).resolves.toBeDefined();
  });
});
