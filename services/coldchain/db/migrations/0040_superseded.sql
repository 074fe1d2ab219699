-- Up Migration
-- Monitoring (issue #11), numbered after the catalogue's so that databases already at 0031 take it in order: an
-- acknowledgement carried over from a superseded excursion's alarm to the alarm of the excursion that replaced it
-- (settle.ts carryAcknowledgement) finds the predecessors by superseded_by, and their alarms by excursion.
CREATE INDEX excursions_superseded_by ON excursions (superseded_by) WHERE superseded_by IS NOT NULL;
CREATE INDEX alarms_excursion ON alarms (excursion_id) WHERE excursion_id IS NOT NULL;
