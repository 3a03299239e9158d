-- 问责: work that went overdue, or was returned again and again, leaves a record per unit (and the
-- person named for it, if any) that a leader confirms or waives with a reason; the assessment
-- module will read the confirmed ones.
CREATE TABLE accountability (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appeal_id uuid NOT NULL REFERENCES appeal (id),
  kind text NOT NULL CHECK (kind IN ('overdue', 'returned')),
  org_id integer NOT NULL REFERENCES org_unit (id),
  org_path text NOT NULL,
  user_id uuid REFERENCES app_user (id),
  -- What happened, as it stood then: the deadline, the supervision, the returns (no personal data).
  detail jsonb NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'waived')),
  decided_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  decision_reason text,
  created_at timestamptz NOT NULL,
  UNIQUE (appeal_id, kind, org_id)
);
CREATE INDEX accountability_scope ON accountability (org_path text_pattern_ops, created_at DESC);
