-- Grid patrols (网格巡查): a worker's walk of a grid, its GPS track and where they were last seen.
-- One open patrol per person; points are keyed by their time, so a batch resent from a phone that
-- was offline adds nothing twice.
CREATE TABLE patrol (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('routine', 'adhoc', 'special')),
  user_id uuid NOT NULL REFERENCES app_user (id),
  -- The grid (or other unit) walked, and its path: who may see the patrol on the wall.
  org_id integer NOT NULL REFERENCES org_unit (id),
  org_path text NOT NULL,
  status text NOT NULL CHECK (status IN ('started', 'finished')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  distance_m integer,
  point_count integer NOT NULL DEFAULT 0,
  -- The newest point received: the worker's last known position while on duty.
  last_lat double precision,
  last_lng double precision,
  last_at timestamptz
);
CREATE INDEX patrol_scope_started ON patrol (org_path text_pattern_ops, started_at);
CREATE UNIQUE INDEX patrol_one_open ON patrol (user_id) WHERE status = 'started';

CREATE TABLE patrol_point (
  patrol_id uuid NOT NULL REFERENCES patrol (id),
  at timestamptz NOT NULL,
  lat double precision NOT NULL,
  lng double precision NOT NULL,
  accuracy_m real,
  PRIMARY KEY (patrol_id, at)
);
