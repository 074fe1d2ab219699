-- Up Migration
-- What the driver's route sheet shows to find a parcel on board and at the station (issue #10 "On the road"): the
-- courier's waybill (every parcel.* event carries it) and, downstream, the recipient as intake's events carry it —
-- masked (张**, 139****5678), never in clear. Only `parcel.manifested` and `parcel.booked` carry the recipient, with
-- the size. Confirm copies both into each `dispatch.route_confirmed` parcel. A parcel folded before this migration
-- has its waybill from its next event and no recipient (a route confirmed without them shows null on the sheet).
ALTER TABLE parcels
  ADD COLUMN waybill   text,
  ADD COLUMN recipient jsonb;

-- Down Migration
ALTER TABLE parcels
  DROP COLUMN recipient,
  DROP COLUMN waybill;
