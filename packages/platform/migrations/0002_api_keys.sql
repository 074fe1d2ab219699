-- Up Migration
-- Every service's own copy of the API keys (docs/architecture.md §3 "Access"): intake writes it when it issues,
-- changes or revokes a key; the other services apply the access.* events from masterdata.events.
-- Only the SHA-256 of each key is kept, never the key itself. `revision` orders the changes of one
-- key, so an older event applied late cannot undo a newer one (a revocation in particular).
CREATE TABLE api_keys (
  key_id                text        PRIMARY KEY,
  county_id             text        NOT NULL,
  role                  text        NOT NULL CHECK (role IN ('admin', 'operator', 'station', 'driver', 'courier', 'bureau')),
  scope                 jsonb       NOT NULL DEFAULT '{}'::jsonb,
  name                  text        NOT NULL,
  hash                  text        NOT NULL CHECK (hash ~ '^sha256:[0-9a-f]{64}$'),
  rate_limit_per_minute integer     CHECK (rate_limit_per_minute > 0),
  created_at            timestamptz NOT NULL,
  revoked_at            timestamptz,
  revision              integer     NOT NULL CHECK (revision > 0),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_keys_county ON api_keys (county_id, created_at);

-- Down Migration
DROP TABLE api_keys;
