-- A finding reported on patrol keeps its patrol: the desk sees the walk that led to it.
ALTER TABLE appeal ADD COLUMN patrol_id uuid REFERENCES patrol (id);
