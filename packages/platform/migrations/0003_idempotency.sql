-- Up Migration
-- Idempotency keys of REST requests, stored in the same transaction as the request's effect
-- (docs/architecture.md §4), so a crash cannot make a retried request take effect twice.
CREATE TABLE idempotency_keys (
  principal    text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  status       integer     NOT NULL,
  body         jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Down Migration
DROP TABLE idempotency_keys;
