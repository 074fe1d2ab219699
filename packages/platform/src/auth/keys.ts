import {
  apiKeyEntityKey,
  type ApiKeyRecord,
  apiKeyRecordSchema,
  type ApiKeySummary,
  buildEvent,
  type Envelope,
  issuesFromZod,
  type KeyScope,
  type Role,
  topicOf,
} from '@county/contracts';
import { RejectedError, type EventHandler } from '../messaging/consumer-runner.js';
import type { Outbox } from '../messaging/outbox.js';
import type { Queryable } from '../postgres.js';
import { platformError } from '../errors.js';
import { generateKey, hashKey } from './key-format.js';

export interface NewKey {
  countyId: string;
  role: Role;
  scope?: KeyScope;
  name: string;
  rateLimitPerMinute?: number;
}

/** What an admin may change on a key; `rateLimitPerMinute: null` goes back to the role's default. */
export interface KeyChanges {
  name?: string;
  scope?: KeyScope;
  rateLimitPerMinute?: number | null;
}

export const keyEventTypes = ['access.key_issued', 'access.key_changed', 'access.key_revoked'] as const;
export type KeyEventType = (typeof keyEventTypes)[number];

type KeyOutbox = Pick<Outbox, 'add'>;

interface KeyRow {
  key_id: string;
  county_id: string;
  role: Role;
  scope: KeyScope;
  name: string;
  hash: string;
  rate_limit_per_minute: number | null;
  created_at: Date;
  revoked_at: Date | null;
  revision: number;
}

const COLUMNS = 'key_id, county_id, role, scope, name, hash, rate_limit_per_minute, created_at, revoked_at, revision';

function fromRow(row: KeyRow): ApiKeyRecord {
  return {
    keyId: row.key_id,
    countyId: row.county_id,
    role: row.role,
    scope: row.scope,
    name: row.name,
    hash: row.hash,
    ...(row.rate_limit_per_minute !== null ? { rateLimitPerMinute: row.rate_limit_per_minute } : {}),
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revision: row.revision,
  };
}

/** A record about to be written must be one the contract accepts: every copy will parse it. */
function validRecord(candidate: ApiKeyRecord): ApiKeyRecord {
  const parsed = apiKeyRecordSchema.safeParse(candidate);
  if (!parsed.success) throw platformError('VALIDATION_FAILED', 'the key is invalid', issuesFromZod(parsed.error));
  return parsed.data;
}

/**
 * Writes a key's record unless the stored one is as new or newer, and says whether it did. Intake's
 * writes and every copy's event applications go through here, so the rule is one rule.
 */
async function upsert(db: Queryable, record: ApiKeyRecord): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO api_keys (${COLUMNS}, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
     ON CONFLICT (key_id) DO UPDATE SET
       county_id = EXCLUDED.county_id, role = EXCLUDED.role, scope = EXCLUDED.scope, name = EXCLUDED.name,
       hash = EXCLUDED.hash, rate_limit_per_minute = EXCLUDED.rate_limit_per_minute, created_at = EXCLUDED.created_at,
       revoked_at = EXCLUDED.revoked_at, revision = EXCLUDED.revision, updated_at = now()
     WHERE api_keys.revision < EXCLUDED.revision`,
    [
      record.keyId,
      record.countyId,
      record.role,
      JSON.stringify(record.scope),
      record.name,
      record.hash,
      record.rateLimitPerMinute ?? null,
      record.createdAt,
      record.revokedAt,
      record.revision,
    ],
  );
  return result.rowCount === 1;
}

/** Stores the record and, in the same transaction, its event for every other service's copy. */
async function saveAndPublish(tx: Queryable, outbox: KeyOutbox, type: KeyEventType, record: ApiKeyRecord, now: Date, source: string): Promise<void> {
  await upsert(tx, record);
  const event = buildEvent({ type, countyId: record.countyId, subject: record.keyId, source, data: record, occurredAt: now });
  await outbox.add(tx, { topic: topicOf(type), key: apiKeyEntityKey(record.countyId, record.keyId), event });
}

/** A key as the key endpoints show it: never its hash. */
export function summaryOf(record: ApiKeyRecord): ApiKeySummary {
  const { hash: _hash, ...summary } = record;
  return summary;
}

/** The record of a key, with its hash; undefined when this copy has never heard of it. */
export async function findKey(db: Queryable, keyId: string, { forUpdate = false } = {}): Promise<ApiKeyRecord | undefined> {
  const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE key_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [keyId]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function listKeys(db: Queryable, countyId: string): Promise<ApiKeySummary[]> {
  const { rows } = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE county_id = $1 ORDER BY created_at, key_id`, [countyId]);
  return rows.map((row) => summaryOf(fromRow(row)));
}

/**
 * Issues a key: the secret is returned here once and never stored; the row and its
 * `access.key_issued` event are written in the caller's transaction.
 */
export async function issueKey(
  tx: Queryable,
  outbox: KeyOutbox,
  input: NewKey,
  now: Date,
  source = 'intake',
): Promise<{ key: string; record: ApiKeyRecord }> {
  const { keyId, key } = generateKey();
  const record = validRecord({
    keyId,
    countyId: input.countyId,
    role: input.role,
    scope: input.scope ?? {},
    name: input.name,
    hash: hashKey(key),
    ...(input.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: input.rateLimitPerMinute } : {}),
    createdAt: now.toISOString(),
    revokedAt: null,
    revision: 1,
  });
  await saveAndPublish(tx, outbox, 'access.key_issued', record, now, source);
  return { key, record };
}

async function current(tx: Queryable, keyId: string): Promise<ApiKeyRecord> {
  const record = await findKey(tx, keyId, { forUpdate: true });
  if (!record) throw platformError('KEY_NOT_FOUND');
  return record;
}

/** Changes a live key's name, scope or limit (validated against its role) and publishes the change. */
export async function changeKey(
  tx: Queryable,
  outbox: KeyOutbox,
  keyId: string,
  changes: KeyChanges,
  now: Date,
  source = 'intake',
): Promise<ApiKeyRecord> {
  const before = await current(tx, keyId);
  if (before.revokedAt) throw platformError('KEY_REVOKED');
  const { rateLimitPerMinute: _previous, ...rest } = before;
  const limit = changes.rateLimitPerMinute === undefined ? before.rateLimitPerMinute : changes.rateLimitPerMinute;
  const record = validRecord({
    ...rest,
    name: changes.name ?? before.name,
    scope: changes.scope ?? before.scope,
    ...(limit !== undefined && limit !== null ? { rateLimitPerMinute: limit } : {}),
    revision: before.revision + 1,
  });
  await saveAndPublish(tx, outbox, 'access.key_changed', record, now, source);
  return record;
}

/** Revokes a key for good. Revoking it again changes nothing and publishes nothing. */
export async function revokeKey(tx: Queryable, outbox: KeyOutbox, keyId: string, now: Date, source = 'intake'): Promise<ApiKeyRecord> {
  const before = await current(tx, keyId);
  if (before.revokedAt) return before;
  const record: ApiKeyRecord = { ...before, revokedAt: now.toISOString(), revision: before.revision + 1 };
  await saveAndPublish(tx, outbox, 'access.key_revoked', record, now, source);
  return record;
}

/**
 * Applies an `access.*` event to this service's copy, inside the consumer's inbox transaction.
 * Idempotent and order-safe: each event carries the full record and its revision, and a revision
 * older than (or equal to) the stored one changes nothing — so a late `key_changed` can never
 * bring a revoked key back.
 */
export async function applyKeyEvent(tx: Queryable, envelope: Envelope): Promise<void> {
  if (!(keyEventTypes as readonly string[]).includes(envelope.type)) {
    throw new RejectedError(`${envelope.type} is not an access key event`, [{ path: 'type', reason: 'not an access.* key event' }]);
  }
  const parsed = apiKeyRecordSchema.safeParse(envelope.data);
  if (!parsed.success) throw new RejectedError('invalid key record', issuesFromZod(parsed.error, ['data']));
  if (parsed.data.countyId !== envelope.countyId) {
    throw new RejectedError('key record of another county', [{ path: 'data.countyId', reason: `differs from the envelope's ${envelope.countyId}` }]);
  }
  await upsert(tx, parsed.data);
}

/**
 * The handlers a service's consumer of `masterdata.events` needs for keys, e.g.
 * `consume(runtime, { name: 'access-keys', topics: ['masterdata.events'], handlers: keyEventHandlers })`.
 */
export const keyEventHandlers: Record<KeyEventType, EventHandler> = {
  'access.key_issued': { handle: applyKeyEvent },
  'access.key_changed': { handle: applyKeyEvent },
  'access.key_revoked': { handle: applyKeyEvent },
};
