-- Appeals: intake, lifecycle, assignment, deadlines, whistle notices.

CREATE TABLE appeal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tracking_code text NOT NULL UNIQUE,
  channel text NOT NULL CHECK (channel IN ('h5', 'qr', 'hall', 'hotline', 'patrol', 'snapshot', 'open311', 'import')),
  category_id integer REFERENCES category (id),
  title text NOT NULL,
  content text NOT NULL,
  status text NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected', 'dispatched', 'claimed', 'in_progress',
    'resolved', 'verified', 'closed', 'returned', 'reopened', 'merged')),
  escalation_level smallint NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 4),
  urgency text NOT NULL DEFAULT 'normal',
  -- The area the appeal belongs to (station, community, subdistrict or district): staff scope.
  org_id integer NOT NULL REFERENCES org_unit (id),
  org_path text NOT NULL,
  station_id integer REFERENCES org_unit (id),
  grid_id integer REFERENCES org_unit (id),
  lat double precision,
  lng double precision,
  address text,
  -- The unit doing the work, once dispatched, and its helpers.
  assigned_org_id integer REFERENCES org_unit (id),
  assigned_org_path text,
  co_handler_org_ids integer[] NOT NULL DEFAULT '{}',
  claimed_by uuid REFERENCES app_user (id),
  -- The unit the appeal complains about (信访工作条例 art. 46(5)): never shown the reporter.
  accused_org_id integer REFERENCES org_unit (id),
  accused_org_path text,
  -- The resident. Contact data is AES-256-GCM ciphertext; phone_hmac finds repeat callers without decrypting.
  anonymous boolean NOT NULL DEFAULT false,
  contact_name_enc text,
  contact_phone_enc text,
  phone_hmac text,
  submitted_by uuid REFERENCES app_user (id),
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Deadlines on the working-day calendar.
  accept_due_at timestamptz,
  finish_due_at timestamptz,
  extension_days integer NOT NULL DEFAULT 0,
  pending_extension jsonb,
  overdue boolean NOT NULL DEFAULT false,
  supervised boolean NOT NULL DEFAULT false,
  reminder_count integer NOT NULL DEFAULT 0,
  merged_into uuid REFERENCES appeal (id),
  rating text CHECK (rating IS NULL OR rating IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  rating_comment text,
  rated_at timestamptz,
  reopen_count integer NOT NULL DEFAULT 0,
  return_count integer NOT NULL DEFAULT 0,
  resolution_summary text,
  idempotency_key text UNIQUE,
  idempotency_hash text,
  version integer NOT NULL DEFAULT 1,
  submitted_at timestamptz NOT NULL,
  accepted_at timestamptz,
  dispatched_at timestamptz,
  claimed_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL
);
-- Keyset pagination on (submitted_at, id) within a scope prefix.
CREATE INDEX appeal_scope_recent ON appeal (org_path text_pattern_ops, submitted_at DESC, id DESC);
CREATE INDEX appeal_recent ON appeal (submitted_at DESC, id DESC);
CREATE INDEX appeal_assigned ON appeal (assigned_org_path text_pattern_ops, submitted_at DESC) WHERE assigned_org_path IS NOT NULL;
CREATE INDEX appeal_status ON appeal (status, submitted_at DESC);
CREATE INDEX appeal_due ON appeal (finish_due_at) WHERE status NOT IN ('closed', 'rejected', 'merged');

CREATE TABLE appeal_attachment (
  appeal_id uuid NOT NULL REFERENCES appeal (id),
  upload_id uuid NOT NULL,
  stage text NOT NULL CHECK (stage IN ('submission', 'handling', 'resolution', 'verification')),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (appeal_id, upload_id)
);

-- 吹哨报到: a uniformly numbered coordination notice summoning units, who must report in.
CREATE TABLE coordination_notice (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE,
  district_id integer NOT NULL REFERENCES org_unit (id),
  year integer NOT NULL,
  seq integer NOT NULL,
  appeal_id uuid NOT NULL REFERENCES appeal (id),
  level smallint NOT NULL,
  reason text NOT NULL,
  issued_by uuid REFERENCES app_user (id),
  issued_by_org_id integer REFERENCES org_unit (id),
  issued_at timestamptz NOT NULL,
  report_due_at timestamptz NOT NULL,
  UNIQUE (district_id, year, seq)
);

-- Gap-free numbering: the counter row is locked by the issuing transaction, so a rollback
-- leaves no hole (a sequence would).
CREATE TABLE notice_counter (
  district_id integer NOT NULL REFERENCES org_unit (id),
  year integer NOT NULL,
  last_seq integer NOT NULL,
  PRIMARY KEY (district_id, year)
);

CREATE TABLE summons (
  notice_id uuid NOT NULL REFERENCES coordination_notice (id),
  org_id integer NOT NULL REFERENCES org_unit (id),
  org_path text NOT NULL,
  reported_at timestamptz,
  reported_by uuid REFERENCES app_user (id),
  escalated_at timestamptz,
  PRIMARY KEY (notice_id, org_id)
);
CREATE INDEX summons_open ON summons (org_path text_pattern_ops) WHERE reported_at IS NULL;
