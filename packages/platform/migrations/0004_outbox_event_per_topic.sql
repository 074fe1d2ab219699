-- Up Migration
-- One event may go to several topics: intake publishes each parcel event on parcel.events and on
-- the courier's own status topic, with the same event id (docs/architecture.md "Topics"). An event is still
-- written at most once per topic.
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_topic_key UNIQUE (event_id, topic);

-- Down Migration
ALTER TABLE outbox DROP CONSTRAINT outbox_event_topic_key;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_id_key UNIQUE (event_id);
