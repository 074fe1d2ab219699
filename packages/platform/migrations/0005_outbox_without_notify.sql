-- Up Migration
-- The relay is woken in-process after a commit that wrote outbox rows and polls for rows other
-- processes wrote (src/messaging/relay.ts). A NOTIFY in every writing transaction serialised all
-- their commits on Postgres's notification queue lock: see signalOutboxWrite in src/postgres.ts.
DROP TRIGGER outbox_inserted ON outbox;
DROP FUNCTION outbox_notify();

-- Down Migration
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_TABLE_SCHEMA || '.outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
