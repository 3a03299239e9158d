-- What a client's Idempotency-Key on a workflow action (签收, 办结, 核实…) was used for. A field
-- worker's phone resends a queued action when it is back online and may not know whether the first
-- attempt arrived: the same key, same action and same body answer the case as it is now instead of
-- 409 "already resolved"; the same key for anything else is refused. Kept 30 days, per person (a
-- key is the client's, so two people's keys never collide).
CREATE TABLE action_receipt (
  actor_id uuid NOT NULL,
  key text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  action text NOT NULL,
  body_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (actor_id, key)
);
