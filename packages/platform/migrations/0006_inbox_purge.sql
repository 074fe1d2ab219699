-- Up Migration
-- The relay's housekeeping deletes inbox rows past their retention (30 days by default) every ten minutes:
-- an index on processed_at keeps that a range delete instead of a scan of every event ever consumed.
CREATE INDEX inbox_processed_at ON inbox (processed_at);

-- Down Migration
DROP INDEX inbox_processed_at;
