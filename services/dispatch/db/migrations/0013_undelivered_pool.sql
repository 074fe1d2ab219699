-- Up Migration
-- A parcel a route brought back undelivered (a closed station, a refusal, damage on board) stays `departed` at intake:
-- the lifecycle has no fact for "back at the center". The pool (src/readmodel/store.ts, waitingParcels) finds such
-- parcels among the downstream `departed` ones — those on the road and those brought back — without reading every
-- parcel the county ever had.
CREATE INDEX parcels_departed ON parcels (county_id) WHERE direction = 'downstream' AND state = 'departed';

-- Down Migration
DROP INDEX parcels_departed;
