// `npm run -s key:create-admin -- --county <countyId> [--name <label>]`: issues the first admin key of
// a county (docs/architecture.md §3 "Access"). Migrates intake's schema first, so it works before intake ever
// started; writes the key and its access.key_issued event (through the outbox, which intake's relay
// publishes) to intake's schema (DB_SCHEMA, default `intake`). The key goes to stdout, once; logs go
// to stderr and name the key id only.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { countyIdSchema } from '@county/contracts';
import { createClock, createLogger, createOutbox, createPool, issueKey, loadConfig, migrateService, runMain, withTransaction } from '@county/platform';
import { configSchema, SERVICE } from '../config.js';

const USAGE = 'usage: npm run -s key:create-admin -- --county <countyId> [--name <label>]';

function readArgs(): { countyId: string; name: string } {
  const { values } = parseArgs({ options: { county: { type: 'string' }, name: { type: 'string' } }, strict: true });
  const county = countyIdSchema.safeParse(values.county);
  if (!county.success) {
    process.stderr.write(`${values.county === undefined ? '--county is required' : `--county: ${county.error.issues[0]?.message}`}\n${USAGE}\n`);
    process.exit(2);
  }
  const name = values.name?.trim() || 'first admin';
  return { countyId: county.data, name };
}

runMain(async () => {
  const { countyId, name } = readArgs();
  const config = loadConfig(configSchema);
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL, destination: process.stderr });
  await migrateService({
    url: config.DATABASE_URL,
    schema: config.DB_SCHEMA,
    dir: fileURLToPath(new URL('../../db/migrations', import.meta.url)),
    logger,
  });
  const pool = createPool({ url: config.DATABASE_URL, schema: config.DB_SCHEMA, max: 1, logger });
  try {
    const outbox = createOutbox({ topicPrefix: config.TOPIC_PREFIX });
    const clock = createClock({ start: config.CLOCK_START, rate: config.CLOCK_RATE, origin: config.CLOCK_ORIGIN });
    const { key, record } = await withTransaction(pool, (tx) => issueKey(tx, outbox, { countyId, role: 'admin', name }, clock()));
    logger.info({ keyId: record.keyId, countyId, schema: config.DB_SCHEMA }, 'admin key issued');
    process.stdout.write(`${key}\n`);
  } finally {
    await pool.end();
  }
});
