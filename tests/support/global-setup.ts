import type { TestProject } from 'vitest/node';
import { dockerEngineAnswers, startContainers } from './containers.js';
import { infraFromEnv, type InfraEnv } from './infra-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraEnv;
  }
}

/**
 * Where the integration tests' Kafka, Postgres, Redis and MQTT broker come from (docs/architecture.md §4): the connection
 * strings in the environment when set; otherwise containers where a Docker engine answers;
 * otherwise the project's infra scripts (a local KRaft broker, the local Postgres and Redis).
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = infraFromEnv();
  if (given) {
    project.provide('infra', given);
    return undefined;
  }
  if (await dockerEngineAnswers()) {
    const { env, stop } = await startContainers();
    project.provide('infra', env);
    return stop;
  }
  // @ts-expect-error the infra scripts are plain ESM without type declarations
  const { ensureInfra } = await import('../../infra/lib/index.mjs');
  const env = (await ensureInfra({ cleanTestData: true })) as InfraEnv;
  project.provide('infra', env);
  return undefined;
}
