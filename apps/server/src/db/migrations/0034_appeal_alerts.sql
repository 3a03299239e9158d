-- A critical appeal (a person in danger) alerts the nearest on-duty grid workers at once, by their
-- last known position on patrol; the first to acknowledge takes it; the time to arrival is kept.
CREATE TABLE appeal_alert (
  appeal_id uuid NOT NULL REFERENCES appeal (id),
  user_id uuid NOT NULL REFERENCES app_user (id),
  -- 1 = the nearest.
  rank integer NOT NULL,
  distance_m integer NOT NULL,
  alerted_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  arrived_at timestamptz,
  PRIMARY KEY (appeal_id, user_id)
);
CREATE INDEX appeal_alert_user_open ON appeal_alert (user_id, alerted_at) WHERE acknowledged_at IS NULL;
