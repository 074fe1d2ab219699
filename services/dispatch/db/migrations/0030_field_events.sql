-- Up Migration
-- The driver's field events (src/field/): one row per accepted event of a route, keyed by the id the handheld
-- gave it, so a retry of the same event is answered with the same response and has no second effect. The rows
-- are also the route's field log: arrivals and exceptions at each stop, shown on the route sheet.
CREATE TABLE field_events (
  route_id        text        NOT NULL REFERENCES routes (route_id),
  client_event_id text        NOT NULL,
  county_id       text        NOT NULL,
  kind            text        NOT NULL CHECK (kind IN ('departure', 'arrival', 'handover', 'pickups', 'exception', 'return', 'cancel')),
  stop_sequence   integer,
  exception_kind  text        CHECK (exception_kind IN ('station_closed', 'damaged', 'refused')),
  occurred_at     timestamptz NOT NULL,
  recorded_at     timestamptz NOT NULL,
  key_id          text        NOT NULL,
  role            text        NOT NULL,
  -- What the handheld sent (kind, stop, body), hashed: the same id with other content is refused.
  request_hash    text        NOT NULL,
  parcel_ids      uuid[]      NOT NULL,
  -- The id of the dispatch event it wrote to the outbox, and the response it was answered with.
  event_id        uuid        NOT NULL,
  response_status integer     NOT NULL,
  response        json        NOT NULL,  -- json, not jsonb: a retry gets the very same bytes
  PRIMARY KEY (route_id, client_event_id)
);

-- Down Migration
DROP TABLE field_events;
