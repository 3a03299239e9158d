-- Visits to a reception hall (一窗受理): one row per visit, with the appeal typed at the desk.
-- The visitor's phone is kept only as the HMAC the appeal also holds (repeat visits are found by
-- it); the ID card is checked by hand and not stored.
CREATE TABLE visit (
  id uuid PRIMARY KEY,
  appeal_id uuid NOT NULL UNIQUE REFERENCES appeal (id),
  -- The hall: the receiving clerk's unit, and its path (who may read the visit).
  org_id integer NOT NULL REFERENCES org_unit (id),
  org_path text NOT NULL,
  phone_hmac text NOT NULL,
  group_size integer NOT NULL CHECK (group_size BETWEEN 1 AND 500),
  declared_first_visit boolean,
  repeat_visit boolean NOT NULL,
  group_visit boolean NOT NULL,
  id_checked boolean NOT NULL DEFAULT false,
  received_by uuid NOT NULL REFERENCES app_user (id),
  -- A 代办员 or 信访代理员 who filed on the visitor's behalf.
  proxy_user_id uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX visit_org_created ON visit (org_path text_pattern_ops, created_at);
-- Repeat visitors and callers are found by their phone's HMAC.
CREATE INDEX appeal_phone_hmac ON appeal (phone_hmac) WHERE phone_hmac IS NOT NULL;
