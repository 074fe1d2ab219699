-- Up Migration
-- A conflicting announcement (same courier and waybill, other content) is recorded once while it
-- is open: the same manifest delivered again must not pile up copies for operators. The hash is the
-- content hash of the announcement received, as parcels.content_hash is of the parcel kept.
ALTER TABLE parcel_conflicts ADD COLUMN received_hash text;
UPDATE parcel_conflicts SET received_hash = 'legacy:' || id WHERE received_hash IS NULL;
ALTER TABLE parcel_conflicts ALTER COLUMN received_hash SET NOT NULL;
CREATE UNIQUE INDEX parcel_conflicts_once ON parcel_conflicts (parcel_id, received_hash) WHERE resolved_at IS NULL;

-- Down Migration
DROP INDEX parcel_conflicts_once;
ALTER TABLE parcel_conflicts DROP COLUMN received_hash;
