-- Up Migration
-- Draft and confirmed plans of a wave (issue #10 "Waves and plans"). A plan keeps the planner's DraftPlan and the
-- WaveInput it was planned from (edits recompute against that snapshot; a re-plan reads the wave afresh). Every edit
-- bumps `revision`, which edits carry back (If-Match or body `revision`): a stale one is refused.
CREATE TABLE plans (
  plan_id        text        PRIMARY KEY,
  county_id      text        NOT NULL,
  date           date        NOT NULL,
  wave_id        text        NOT NULL,
  status         text        NOT NULL CHECK (status IN ('draft', 'confirmed', 'cancelled', 'superseded')),
  revision       integer     NOT NULL DEFAULT 1 CHECK (revision >= 1),
  origin         text        NOT NULL CHECK (origin IN ('operator', 'auto')),
  seed           bigint      NOT NULL,
  budget_seconds numeric     NOT NULL,
  plan           jsonb       NOT NULL,
  -- The wave input without its travel matrix (up to 1,000 × 1,000 numbers twice): edits read the county's
  -- current matrix again when the plan was made with one.
  input          jsonb       NOT NULL,
  input_matrix   boolean     NOT NULL DEFAULT false,
  -- Waiting parcels the read model could not hand the planner (station out of service, size unknown, an open
  -- exception), shown beside the plan's unplanned parcels so operators see every parcel the wave leaves.
  held           jsonb       NOT NULL DEFAULT '[]',
  -- What is locked, as the plan's flags say it (route keys; stops by route key and station).
  locks          jsonb       NOT NULL DEFAULT '{"routes": [], "stops": []}',
  -- Set at confirm: which route id each route key became.
  route_ids      jsonb,
  cancel_reason  text,
  created_by     text        NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_by     text        NOT NULL,
  updated_at     timestamptz NOT NULL,
  confirmed_by   text,
  confirmed_at   timestamptz
);
CREATE INDEX plans_wave ON plans (county_id, date, wave_id, created_at);
-- A wave has at most one confirmed plan: the one its routes and its cost come from.
CREATE UNIQUE INDEX plans_one_confirmed ON plans (county_id, date, wave_id) WHERE status = 'confirmed';

-- The auto-planner's record of the waves it planned at their cut-off, so each wave and date is planned once.
CREATE TABLE auto_plans (
  county_id  text        NOT NULL,
  date       date        NOT NULL,
  wave_id    text        NOT NULL,
  plan_id    text,
  outcome    text        NOT NULL CHECK (outcome IN ('planned', 'skipped', 'refused')),
  detail     text,
  planned_at timestamptz NOT NULL,
  PRIMARY KEY (county_id, date, wave_id)
);

-- Down Migration
DROP TABLE auto_plans;
DROP TABLE plans;
