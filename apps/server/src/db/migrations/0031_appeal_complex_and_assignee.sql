-- 复杂疑难: a dispatcher marks an appeal complex with a reason; its finish deadline becomes the
-- catalogue's complexFinishDays (default 5 working days) and the stats count it apart.
ALTER TABLE appeal ADD COLUMN complex_at timestamptz;
ALTER TABLE appeal ADD COLUMN complex_reason text;
-- The named worker a unit's desk gave the work to (指派): their inbox, the timeline and the stats
-- speak of that person. Null: the unit as a whole holds it.
ALTER TABLE appeal ADD COLUMN assigned_user_id uuid REFERENCES app_user (id);
CREATE INDEX appeal_assigned_user ON appeal (assigned_user_id) WHERE assigned_user_id IS NOT NULL;
