-- Up Migration
-- What a consumer has applied is in its schema (inbox, read model), not in the broker's committed offsets: a
-- schema created from nothing has applied no event, whatever its consumer groups committed before (a schema
-- dropped and created again, deleted to start afresh). Whether this schema is such a one is decided here, in
-- the transaction that creates it: the migrations of one start run in one transaction, recorded at its now(),
-- so a schema created from nothing has no platform migration recorded before this transaction began.
-- (The runtime names the table platform_migrations: postgres.ts migrateService.)
CREATE TABLE schema_origin (
  created_empty boolean     NOT NULL,
  migrated_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO schema_origin (created_empty)
SELECT NOT EXISTS (SELECT 1 FROM platform_migrations WHERE run_on < now());

-- The consumer groups that have started on this schema, and what was done to their committed offsets first
-- (messaging/fresh-groups.ts): on a schema created empty, each group is sent back to the beginning of its
-- topics once, before it first joins.
CREATE TABLE consumer_groups (
  group_id   text        PRIMARY KEY,
  offsets    text        NOT NULL CHECK (offsets IN ('reset', 'none committed')),
  started_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE consumer_groups;
DROP TABLE schema_origin;
