-- Up Migration
-- Per-parcel compliance (issue #11, src/compliance/): each cold-chain parcel's records, revision 1 at its first
-- hand-over or delivery, revision n + 1 whenever a later computation differs (a late reading, a later hand-over).

CREATE TABLE compliance_records (
  parcel_id   uuid        NOT NULL,
  revision    integer     NOT NULL CHECK (revision >= 1),
  county_id   text        NOT NULL,
  -- the data of its coldchain.compliance_recorded event
  record      jsonb       NOT NULL,
  -- the profile it was judged against, as it was then: a revision judges by the same one
  profile     jsonb       NOT NULL,
  cause       text        NOT NULL,
  event_id    uuid        NOT NULL,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (parcel_id, revision)
);

-- Where the latest revision of each record looked: its containers over its spans, the start lowered by the
-- profile's silence gap (a reading up to that long before a binding still counts at its start). A reading stored
-- for a container and time in here may revise the record; one stored anywhere else cannot.
CREATE TABLE compliance_coverage (
  county_id    text        NOT NULL,
  container_id text        NOT NULL,
  parcel_id    uuid        NOT NULL,
  from_at      timestamptz NOT NULL,
  to_at        timestamptz NOT NULL
);
CREATE INDEX compliance_coverage_container ON compliance_coverage (county_id, container_id, to_at);
CREATE INDEX compliance_coverage_parcel ON compliance_coverage (parcel_id);

-- Down Migration
DROP TABLE compliance_coverage;
DROP TABLE compliance_records;
