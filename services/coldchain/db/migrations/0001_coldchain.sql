-- Up Migration
-- coldchain's own tables come here, in its schema; the platform's (outbox, inbox, the copy of the API
-- keys, idempotency keys) are migrated before it. Nothing of its own yet: the service is a skeleton.
SELECT 1;

-- Down Migration
SELECT 1;
