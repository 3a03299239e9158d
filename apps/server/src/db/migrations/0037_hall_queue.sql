-- The walk-in queue of a reception hall (叫号): numbers taken per hall and China day, called in
-- order to a window; the waiting time is called_at - created_at.
CREATE TABLE hall_ticket (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id integer NOT NULL REFERENCES org_unit (id),
  day date NOT NULL,
  number integer NOT NULL CHECK (number >= 1),
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'called', 'done')),
  window_name text,
  created_at timestamptz NOT NULL,
  called_at timestamptz,
  UNIQUE (org_id, day, number)
);
CREATE INDEX hall_ticket_waiting ON hall_ticket (org_id, day, number) WHERE status = 'waiting';
