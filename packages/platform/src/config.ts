import { z } from 'zod';

/** The settings every service reads (docs/architecture.md §4); a service extends it with its own. */
export const baseConfigShape = {
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/postgres'),
  /** Each service owns one schema; tests isolate by giving each suite its own. */
  DB_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase Postgres identifier'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'host:port')).min(1)),
  TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ -').default(''),
  GROUP_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, . _ -').default(''),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(256).default(3),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(5).default(1),
  /** Manifests of 1,000 parcels, gzip: 16 MiB leaves room (the broker is configured to match). */
  KAFKA_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1_048_576).default(16 * 1024 * 1024),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).default(30_000),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(8000),
  /** Domain time (`clock.ts`): where it starts and how fast it runs; real time when both are unset. */
  CLOCK_START: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 instant with its offset, e.g. 2026-06-01T06:00:00+08:00' })
    .transform((s) => new Date(s))
    .optional(),
  CLOCK_RATE: z.coerce.number({ error: 'a number' }).positive('a number above 0 (1 is real time)').default(1),
  /** The real instant at which domain time is CLOCK_START (process start when unset): shared by processes that must agree. */
  CLOCK_ORIGIN: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 instant with its offset, e.g. 2026-11-29T17:00:00Z' })
    .transform((s) => new Date(s))
    .optional(),
};

export const baseConfigSchema = z.object(baseConfigShape);
export type BaseConfig = z.infer<typeof baseConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; reason: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.reason}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once at start-up. Every missing or invalid variable is named in one error,
 * so an operator fixes them all in one go. Empty strings count as unset.
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): Readonly<z.infer<T>> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const variable = issue.path.map(String).join('.') || '(environment)';
        // zod does not report the input it refused: whether the variable was set tells "required".
        return { variable, reason: issue.code === 'invalid_type' && !(variable in cleaned) ? 'required' : issue.message };
      }),
    );
  }
  return Object.freeze(result.data) as Readonly<z.infer<T>>;
}
