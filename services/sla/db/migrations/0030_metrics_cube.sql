-- Up Migration
-- The bureau's month query reads aggregates instead of a month's parcels (README "Metrics", "Read model: the cube"):
-- kept exact by a statement-level trigger on the timeline's `sla_parcels`, in the same transaction as the write that
-- changed a parcel: every statement subtracts the old rows' contributions and adds the new ones (transition tables),
-- so any order of late, replayed or re-measured writes leaves the same figures as a recount of the rows.
--
-- A parcel counts on the county day it entered the network (received_at downstream, collected_at upstream) in the
-- county's time zone (sla_counties; Asia/Shanghai until the county is known); a change of the time zone rebuilds the
-- county's aggregates. '' stands for a parcel without town or station. Cells may reach zero and stay.

-- Per (county, day, courier, town, direction): parcels and each leg's measured and on-time counts.
CREATE TABLE metrics_cube (
  county_id  text NOT NULL,
  day        date NOT NULL,
  courier_id text NOT NULL,
  town_id    text NOT NULL,
  direction  text NOT NULL,
  parcels    int  NOT NULL,
  center_to_town_measured    int NOT NULL,
  center_to_town_on_time     int NOT NULL,
  town_to_village_measured   int NOT NULL,
  town_to_village_on_time    int NOT NULL,
  center_to_village_measured int NOT NULL,
  center_to_village_on_time  int NOT NULL,
  village_to_center_measured int NOT NULL,
  village_to_center_on_time  int NOT NULL,
  PRIMARY KEY (county_id, day, courier_id, town_id, direction)
);

-- Per (county, day, station, direction): parcels and their declared value (exact: numeric), for station activity.
CREATE TABLE metrics_station_days (
  county_id           text    NOT NULL,
  day                 date    NOT NULL,
  station_id          text    NOT NULL,
  direction           text    NOT NULL,
  parcels             int     NOT NULL,
  declared_value_yuan numeric NOT NULL,
  PRIMARY KEY (county_id, day, station_id, direction)
);

-- Minute histograms of the measured legs (the timeline's durations are whole minutes, so percentiles read from
-- them are exact): per county day (the county's total), and per county month and group (dim courier, town or
-- direction; grp the group's key).
CREATE TABLE metrics_leg_minutes_day (
  county_id text NOT NULL,
  day       date NOT NULL,
  leg       text NOT NULL,
  minutes   int  NOT NULL,
  n         int  NOT NULL,
  PRIMARY KEY (county_id, day, leg, minutes)
);
CREATE TABLE metrics_leg_minutes_month (
  county_id text NOT NULL,
  month     date NOT NULL,
  dim       text NOT NULL,
  grp       text NOT NULL,
  leg       text NOT NULL,
  minutes   int  NOT NULL,
  n         int  NOT NULL,
  PRIMARY KEY (county_id, month, dim, grp, leg, minutes)
);
-- The same counted by 32-minute bucket (bucket = minutes >> 5, the floor of minutes / 32): a percentile finds its bucket here, then its minute
-- among the bucket's 32 in the histograms above.
CREATE TABLE metrics_leg_buckets_day (
  county_id text NOT NULL,
  day       date NOT NULL,
  leg       text NOT NULL,
  bucket    int  NOT NULL,
  n         int  NOT NULL,
  PRIMARY KEY (county_id, day, leg, bucket)
);
CREATE TABLE metrics_leg_buckets_month (
  county_id text NOT NULL,
  month     date NOT NULL,
  dim       text NOT NULL,
  grp       text NOT NULL,
  leg       text NOT NULL,
  bucket    int  NOT NULL,
  n         int  NOT NULL,
  PRIMARY KEY (county_id, month, dim, grp, leg, bucket)
);

-- Cold-chain compliance per (county, day of the record's `to`, courier, town, direction of its parcel): the parcel's
-- attributes are copied onto its record ('unknown' while sla does not hold the parcel) and kept current by the
-- trigger on sla_parcels below. The county's 'sla.compliance' advisory lock (shared by the timeline's writes that
-- copy attributes, exclusive for the compliance writer) orders a record's write and its parcel's, so whichever
-- commits second sees the other's.
ALTER TABLE metrics_compliance ADD COLUMN courier_id text, ADD COLUMN town_id text, ADD COLUMN direction text;
UPDATE metrics_compliance c SET courier_id = p.courier_id, town_id = p.town_id, direction = p.direction
  FROM sla_parcels p WHERE p.county_id = c.county_id AND p.parcel_id = c.parcel_id;
CREATE TABLE metrics_compliance_days (
  county_id  text NOT NULL,
  day        date NOT NULL,
  courier_id text NOT NULL,
  town_id    text NOT NULL,
  direction  text NOT NULL,
  records    int  NOT NULL,
  compliant  int  NOT NULL,
  PRIMARY KEY (county_id, day, courier_id, town_id, direction)
);

CREATE FUNCTION metrics_compliance_sql(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$
INSERT INTO metrics_compliance_days AS t
SELECT s.county_id, (s.recorded_to AT TIME ZONE coalesce(c.time_zone, 'Asia/Shanghai'))::date, coalesce(s.courier_id, 'unknown'),
       coalesce(s.town_id, 'unknown'), coalesce(s.direction, 'unknown'), sum(s.sign), sum(s.sign * s.compliant::int)
  FROM (%s) s LEFT JOIN sla_counties c ON c.county_id = s.county_id
 GROUP BY 1, 2, 3, 4, 5 HAVING sum(s.sign) <> 0 OR sum(s.sign * s.compliant::int) <> 0 ORDER BY 1, 2, 3, 4, 5
ON CONFLICT (county_id, day, courier_id, town_id, direction) DO UPDATE SET records = t.records + EXCLUDED.records, compliant = t.compliant + EXCLUDED.compliant
$q$, src)
$f$;

CREATE FUNCTION metrics_compliance_apply() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE metrics_compliance_sql('SELECT 1 AS sign, * FROM compliance_new');
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE metrics_compliance_sql('SELECT -1 AS sign, * FROM compliance_old UNION ALL SELECT 1 AS sign, * FROM compliance_new');
  ELSE
    EXECUTE metrics_compliance_sql('SELECT -1 AS sign, * FROM compliance_old');
  END IF;
  RETURN NULL;
END
$f$;
CREATE TRIGGER metrics_compliance_insert AFTER INSERT ON metrics_compliance REFERENCING NEW TABLE AS compliance_new
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_compliance_apply();
CREATE TRIGGER metrics_compliance_update AFTER UPDATE ON metrics_compliance REFERENCING OLD TABLE AS compliance_old NEW TABLE AS compliance_new
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_compliance_apply();
CREATE TRIGGER metrics_compliance_delete AFTER DELETE ON metrics_compliance REFERENCING OLD TABLE AS compliance_old
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_compliance_apply();

-- The statement adding the contributions of the rows `src` selects (each with a `sign`: +1 added, −1 removed).
CREATE FUNCTION metrics_cube_sql(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format($q$
WITH s AS (%s),
e AS MATERIALIZED (
  SELECT s.sign, s.county_id, s.courier_id, coalesce(s.town_id, '') AS town_id, s.direction,
         CASE WHEN s.direction = 'downstream' THEN coalesce(s.destination_station_id, '') ELSE coalesce(s.origin_station_id, '') END AS station_id,
         coalesce(s.declared_value_yuan, 0)::numeric AS value,
         ((CASE WHEN s.direction = 'downstream' THEN s.received_at ELSE s.collected_at END) AT TIME ZONE coalesce(c.time_zone, 'Asia/Shanghai'))::date AS day,
         CASE WHEN s.center_to_town_on_time IS NOT NULL THEN s.center_to_town_minutes END AS c2t_m, s.center_to_town_on_time AS c2t_o,
         CASE WHEN s.town_to_village_on_time IS NOT NULL THEN s.town_to_village_minutes END AS t2v_m, s.town_to_village_on_time AS t2v_o,
         CASE WHEN s.center_to_village_on_time IS NOT NULL THEN s.center_to_village_minutes END AS c2v_m, s.center_to_village_on_time AS c2v_o,
         CASE WHEN s.village_to_center_on_time IS NOT NULL THEN s.village_to_center_minutes END AS v2c_m, s.village_to_center_on_time AS v2c_o
    FROM s LEFT JOIN sla_counties c ON c.county_id = s.county_id
   WHERE (CASE WHEN s.direction = 'downstream' THEN s.received_at ELSE s.collected_at END) IS NOT NULL
),
l AS MATERIALIZED (
  SELECT e.sign, e.county_id, e.day, e.courier_id, e.town_id, e.direction, x.leg, x.minutes
    FROM e CROSS JOIN LATERAL (VALUES ('center_to_town', e.c2t_m), ('town_to_village', e.t2v_m), ('center_to_village', e.c2v_m), ('village_to_center', e.v2c_m)) AS x(leg, minutes)
   WHERE x.minutes IS NOT NULL
),
cube AS (
  INSERT INTO metrics_cube AS t
  SELECT county_id, day, courier_id, town_id, direction, sum(sign),
         sum(sign * (c2t_m IS NOT NULL)::int), sum(sign * (c2t_m IS NOT NULL AND c2t_o)::int),
         sum(sign * (t2v_m IS NOT NULL)::int), sum(sign * (t2v_m IS NOT NULL AND t2v_o)::int),
         sum(sign * (c2v_m IS NOT NULL)::int), sum(sign * (c2v_m IS NOT NULL AND c2v_o)::int),
         sum(sign * (v2c_m IS NOT NULL)::int), sum(sign * (v2c_m IS NOT NULL AND v2c_o)::int)
    FROM e
   GROUP BY 1, 2, 3, 4, 5
  HAVING sum(sign) <> 0
      OR sum(sign * (c2t_m IS NOT NULL)::int) <> 0 OR sum(sign * (c2t_m IS NOT NULL AND c2t_o)::int) <> 0
      OR sum(sign * (t2v_m IS NOT NULL)::int) <> 0 OR sum(sign * (t2v_m IS NOT NULL AND t2v_o)::int) <> 0
      OR sum(sign * (c2v_m IS NOT NULL)::int) <> 0 OR sum(sign * (c2v_m IS NOT NULL AND c2v_o)::int) <> 0
      OR sum(sign * (v2c_m IS NOT NULL)::int) <> 0 OR sum(sign * (v2c_m IS NOT NULL AND v2c_o)::int) <> 0
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (county_id, day, courier_id, town_id, direction) DO UPDATE SET
    parcels = t.parcels + EXCLUDED.parcels,
    center_to_town_measured = t.center_to_town_measured + EXCLUDED.center_to_town_measured,
    center_to_town_on_time = t.center_to_town_on_time + EXCLUDED.center_to_town_on_time,
    town_to_village_measured = t.town_to_village_measured + EXCLUDED.town_to_village_measured,
    town_to_village_on_time = t.town_to_village_on_time + EXCLUDED.town_to_village_on_time,
    center_to_village_measured = t.center_to_village_measured + EXCLUDED.center_to_village_measured,
    center_to_village_on_time = t.center_to_village_on_time + EXCLUDED.center_to_village_on_time,
    village_to_center_measured = t.village_to_center_measured + EXCLUDED.village_to_center_measured,
    village_to_center_on_time = t.village_to_center_on_time + EXCLUDED.village_to_center_on_time
),
stations AS (
  INSERT INTO metrics_station_days AS t
  SELECT county_id, day, station_id, direction, sum(sign), sum(sign * value)
    FROM e GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0 OR sum(sign * value) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (county_id, day, station_id, direction) DO UPDATE SET
    parcels = t.parcels + EXCLUDED.parcels, declared_value_yuan = t.declared_value_yuan + EXCLUDED.declared_value_yuan
),
days AS (
  INSERT INTO metrics_leg_minutes_day AS t
  SELECT county_id, day, leg, minutes, sum(sign) FROM l GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (county_id, day, leg, minutes) DO UPDATE SET n = t.n + EXCLUDED.n
),
months AS (
  INSERT INTO metrics_leg_minutes_month AS t
  SELECT l.county_id, date_trunc('month', l.day)::date, g.dim, g.grp, l.leg, l.minutes, sum(l.sign)
    FROM l CROSS JOIN LATERAL (VALUES ('courier', l.courier_id), ('town', l.town_id), ('direction', l.direction)) AS g(dim, grp)
   GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(l.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (county_id, month, dim, grp, leg, minutes) DO UPDATE SET n = t.n + EXCLUDED.n
),
day_buckets AS (
  INSERT INTO metrics_leg_buckets_day AS t
  SELECT county_id, day, leg, minutes >> 5, sum(sign) FROM l GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4
  ON CONFLICT (county_id, day, leg, bucket) DO UPDATE SET n = t.n + EXCLUDED.n
)
INSERT INTO metrics_leg_buckets_month AS t
SELECT l.county_id, date_trunc('month', l.day)::date, g.dim, g.grp, l.leg, l.minutes >> 5, sum(l.sign)
  FROM l CROSS JOIN LATERAL (VALUES ('courier', l.courier_id), ('town', l.town_id), ('direction', l.direction)) AS g(dim, grp)
 GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(l.sign) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
ON CONFLICT (county_id, month, dim, grp, leg, bucket) DO UPDATE SET n = t.n + EXCLUDED.n
$q$, src)
$f$;

-- A parcel's compliance record carries its courier, town and direction: a parcel written for the first time, or
-- whose attributes changed, updates its record (under the county's 'sla.compliance' lock, shared).
-- The trigger function is generated with the statements inlined (static SQL: plpgsql keeps their plans). An update adds and subtracts only
-- the rows whose figures' columns changed (most of the timeline's updates change none: an ETA, a state).
CREATE FUNCTION metrics_cube_changed(o text, n text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT format('(%1$s.county_id, %1$s.courier_id, %1$s.town_id, %1$s.direction, %1$s.destination_station_id, %1$s.origin_station_id, %1$s.declared_value_yuan,
   %1$s.received_at, %1$s.collected_at, %1$s.center_to_town_minutes, %1$s.center_to_town_on_time, %1$s.town_to_village_minutes, %1$s.town_to_village_on_time,
   %1$s.center_to_village_minutes, %1$s.center_to_village_on_time, %1$s.village_to_center_minutes, %1$s.village_to_center_on_time) IS DISTINCT FROM
  (%2$s.county_id, %2$s.courier_id, %2$s.town_id, %2$s.direction, %2$s.destination_station_id, %2$s.origin_station_id, %2$s.declared_value_yuan,
   %2$s.received_at, %2$s.collected_at, %2$s.center_to_town_minutes, %2$s.center_to_town_on_time, %2$s.town_to_village_minutes, %2$s.town_to_village_on_time,
   %2$s.center_to_village_minutes, %2$s.center_to_village_on_time, %2$s.village_to_center_minutes, %2$s.village_to_center_on_time)', o, n)
$f$;

DO $do$
BEGIN
  EXECUTE format($fn$
CREATE FUNCTION metrics_cube_apply() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'INSERT' THEN
    %s;
    PERFORM pg_advisory_xact_lock_shared(hashtext('sla.compliance'), hashtext(x.county_id)) FROM (SELECT DISTINCT county_id FROM metrics_new ORDER BY 1) x;
    UPDATE metrics_compliance m SET courier_id = n.courier_id, town_id = n.town_id, direction = n.direction
      FROM metrics_new n WHERE m.county_id = n.county_id AND m.parcel_id = n.parcel_id;
  ELSIF TG_OP = 'UPDATE' THEN
    %s;
    PERFORM pg_advisory_xact_lock_shared(hashtext('sla.compliance'), hashtext(x.county_id))
       FROM (SELECT DISTINCT n.county_id FROM metrics_new n JOIN metrics_old o USING (parcel_id)
              WHERE (o.courier_id, o.town_id, o.direction) IS DISTINCT FROM (n.courier_id, n.town_id, n.direction) ORDER BY 1) x;
    IF FOUND THEN
      UPDATE metrics_compliance m SET courier_id = n.courier_id, town_id = n.town_id, direction = n.direction
        FROM metrics_new n JOIN metrics_old o USING (parcel_id)
       WHERE m.county_id = n.county_id AND m.parcel_id = n.parcel_id
         AND (o.courier_id, o.town_id, o.direction) IS DISTINCT FROM (n.courier_id, n.town_id, n.direction);
    END IF;
  ELSE
    %s;
    UPDATE metrics_compliance m SET courier_id = NULL, town_id = NULL, direction = NULL FROM metrics_old o WHERE m.county_id = o.county_id AND m.parcel_id = o.parcel_id;
  END IF;
  RETURN NULL;
END
$f$ $fn$,
    metrics_cube_sql('SELECT 1 AS sign, * FROM metrics_new'),
    metrics_cube_sql(format('SELECT -1 AS sign, o.* FROM metrics_old o JOIN metrics_new n USING (parcel_id) WHERE %s
                             UNION ALL SELECT 1 AS sign, n.* FROM metrics_new n JOIN metrics_old o USING (parcel_id) WHERE %s',
                            metrics_cube_changed('o', 'n'), metrics_cube_changed('o', 'n'))),
    metrics_cube_sql('SELECT -1 AS sign, * FROM metrics_old'));
END
$do$;

CREATE TRIGGER metrics_cube_insert AFTER INSERT ON sla_parcels REFERENCING NEW TABLE AS metrics_new
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_cube_apply();
CREATE TRIGGER metrics_cube_update AFTER UPDATE ON sla_parcels REFERENCING OLD TABLE AS metrics_old NEW TABLE AS metrics_new
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_cube_apply();
CREATE TRIGGER metrics_cube_delete AFTER DELETE ON sla_parcels REFERENCING OLD TABLE AS metrics_old
  FOR EACH STATEMENT EXECUTE FUNCTION metrics_cube_apply();

-- A county's aggregates recounted from its rows (a time-zone change moves parcels between days).
CREATE FUNCTION metrics_cube_rebuild(county text) RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  DELETE FROM metrics_cube WHERE county_id = county;
  DELETE FROM metrics_station_days WHERE county_id = county;
  DELETE FROM metrics_leg_minutes_day WHERE county_id = county;
  DELETE FROM metrics_leg_minutes_month WHERE county_id = county;
  DELETE FROM metrics_leg_buckets_day WHERE county_id = county;
  DELETE FROM metrics_leg_buckets_month WHERE county_id = county;
  DELETE FROM metrics_compliance_days WHERE county_id = county;
  EXECUTE metrics_cube_sql(format('SELECT 1 AS sign, * FROM sla_parcels WHERE county_id = %L', county));
  EXECUTE metrics_compliance_sql(format('SELECT 1 AS sign, * FROM metrics_compliance WHERE county_id = %L', county));
END
$f$;

CREATE FUNCTION metrics_cube_time_zone() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF (TG_OP = 'INSERT' AND NEW.time_zone <> 'Asia/Shanghai') OR (TG_OP = 'UPDATE' AND NEW.time_zone IS DISTINCT FROM OLD.time_zone) THEN
    PERFORM metrics_cube_rebuild(NEW.county_id);
  END IF;
  RETURN NULL;
END
$f$;
CREATE TRIGGER metrics_cube_time_zone AFTER INSERT OR UPDATE OF time_zone ON sla_counties
  FOR EACH ROW EXECUTE FUNCTION metrics_cube_time_zone();

-- The rows already there.
SELECT metrics_cube_rebuild(county_id) FROM (SELECT county_id FROM sla_parcels UNION SELECT county_id FROM metrics_compliance) c;

-- Down Migration
DROP TRIGGER metrics_cube_time_zone ON sla_counties;
DROP FUNCTION metrics_cube_time_zone();
DROP TRIGGER metrics_cube_delete ON sla_parcels;
DROP TRIGGER metrics_cube_update ON sla_parcels;
DROP TRIGGER metrics_cube_insert ON sla_parcels;
DROP FUNCTION metrics_cube_rebuild(text);
DROP FUNCTION metrics_cube_apply();
DROP FUNCTION metrics_cube_changed(text, text);
DROP FUNCTION metrics_cube_sql(text);
DROP TRIGGER metrics_compliance_delete ON metrics_compliance;
DROP TRIGGER metrics_compliance_update ON metrics_compliance;
DROP TRIGGER metrics_compliance_insert ON metrics_compliance;
DROP FUNCTION metrics_compliance_apply();
DROP FUNCTION metrics_compliance_sql(text);
DROP TABLE metrics_compliance_days;
ALTER TABLE metrics_compliance DROP COLUMN courier_id, DROP COLUMN town_id, DROP COLUMN direction;
DROP TABLE metrics_leg_buckets_month;
DROP TABLE metrics_leg_buckets_day;
DROP TABLE metrics_leg_minutes_month;
DROP TABLE metrics_leg_minutes_day;
DROP TABLE metrics_station_days;
DROP TABLE metrics_cube;
