-- Mediation (modules/mediation): dispute cases from the grid to the court. A case is held by a unit
-- of the org tree (its tier follows the unit: grid or station 1, community 2, subdistrict or
-- district centre 3), mediated by a registered mediator, ends in an agreement (调解协议书) the
-- parties confirm, may be confirmed by the court (司法确认), and is fulfilled payment by payment.

-- 人民调解员名册: who may be given a case, for which unit, in what.
CREATE TABLE mediator_register (
  user_id uuid PRIMARY KEY REFERENCES app_user (id),
  org_id integer NOT NULL REFERENCES org_unit (id),
  -- mediator 人民调解员, peacemaker 和事佬, legal_adviser 法律顾问.
  kind text NOT NULL CHECK (kind IN ('mediator', 'peacemaker', 'legal_adviser')),
  speciality text,
  certificate_number text,
  active boolean NOT NULL DEFAULT true,
  registered_at timestamptz NOT NULL
);

-- A room for sessions; an online one is a station's 在线司法确认室 (a calendar of bookings).
CREATE TABLE mediation_room (
  id serial PRIMARY KEY,
  org_id integer NOT NULL REFERENCES org_unit (id),
  name text NOT NULL,
  online boolean NOT NULL DEFAULT false,
  UNIQUE (org_id, name)
);

CREATE TABLE dispute (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- 光明-调-2026-000001: gap-free per district and China year.
  case_number text NOT NULL UNIQUE,
  district_id integer NOT NULL REFERENCES org_unit (id),
  year integer NOT NULL,
  seq integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('wage', 'neighbour', 'property', 'family', 'contract', 'traffic',
    'consumer', 'land', 'other')),
  summary text NOT NULL,
  status text NOT NULL CHECK (status IN ('registered', 'accepted', 'in_mediation', 'agreed', 'failed',
    'confirmation_requested', 'confirmed', 'confirmation_rejected', 'fulfilled', 'closed')),
  tier smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
  -- The unit holding the case: staff scope.
  org_id integer NOT NULL REFERENCES org_unit (id),
  org_path text NOT NULL,
  -- The unit the dispute is about, when it is a public body: never shown the applicants (art. 46).
  accused_org_id integer REFERENCES org_unit (id),
  accused_org_path text,
  appeal_id uuid UNIQUE REFERENCES appeal (id),
  mediator_id uuid REFERENCES app_user (id),
  amount_claimed numeric(14, 2) CHECK (amount_claimed IS NULL OR amount_claimed >= 0),
  people_involved integer CHECK (people_involved IS NULL OR people_involved > 0),
  escalation_level smallint NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 4),
  accept_due_at timestamptz,
  mediate_due_at timestamptz,
  extension_days integer NOT NULL DEFAULT 0,
  overdue boolean NOT NULL DEFAULT false,
  failure_reason text,
  advice text CHECK (advice IS NULL OR advice IN ('arbitration', 'litigation', 'legal_aid', 'administrative', 'other')),
  -- The court's side (司法确认), through the CourtGateway.
  court_reference text UNIQUE,
  court_requested_at timestamptz,
  ruling text CHECK (ruling IS NULL OR ruling IN ('confirmed', 'rejected')),
  ruling_number text,
  ruling_reason text,
  ruled_at timestamptz,
  registered_by uuid REFERENCES app_user (id),
  version integer NOT NULL DEFAULT 1,
  registered_at timestamptz NOT NULL,
  accepted_at timestamptz,
  agreed_at timestamptz,
  failed_at timestamptz,
  fulfilled_at timestamptz,
  closed_at timestamptz,
  updated_at timestamptz NOT NULL,
  district_code text,
  UNIQUE (district_id, year, seq)
);
CREATE INDEX dispute_scope_recent ON dispute (org_path text_pattern_ops, registered_at DESC, id DESC);
CREATE INDEX dispute_mediator ON dispute (mediator_id, registered_at DESC) WHERE mediator_id IS NOT NULL;
CREATE INDEX dispute_registered ON dispute (registered_at);

CREATE TABLE dispute_counter (
  district_id integer NOT NULL REFERENCES org_unit (id),
  year integer NOT NULL,
  last_seq integer NOT NULL,
  PRIMARY KEY (district_id, year)
);

-- Applicants and respondents. A person's name, phone and ID number are AES-256-GCM ciphertext;
-- phone_hmac finds a repeat party without decrypting. An organisation's credit code is public.
CREATE TABLE dispute_party (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dispute_id uuid NOT NULL REFERENCES dispute (id),
  position smallint NOT NULL,
  role text NOT NULL CHECK (role IN ('applicant', 'respondent')),
  kind text NOT NULL CHECK (kind IN ('person', 'organisation')),
  name_enc text NOT NULL,
  phone_enc text,
  phone_hmac text,
  id_number_enc text,
  credit_code text,
  reported_in_at timestamptz,
  -- Confirmation of the agreement: an SMS code (its HMAC and expiry, never the code) or a signature.
  confirm_code_hmac text,
  confirm_code_expires_at timestamptz,
  confirm_attempts integer NOT NULL DEFAULT 0,
  confirmed_at timestamptz,
  confirmed_by text CHECK (confirmed_by IS NULL OR confirmed_by IN ('code', 'signature')),
  signature_upload_id uuid REFERENCES upload (id),
  UNIQUE (dispute_id, position)
);
CREATE INDEX dispute_party_phone ON dispute_party (phone_hmac) WHERE phone_hmac IS NOT NULL;

CREATE TABLE dispute_session (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dispute_id uuid NOT NULL REFERENCES dispute (id),
  starts_at timestamptz NOT NULL,
  place text NOT NULL,
  online boolean NOT NULL,
  room_id integer REFERENCES mediation_room (id),
  participants text[] NOT NULL DEFAULT '{}',
  outcome text CHECK (outcome IS NULL OR outcome IN ('continue', 'agreed', 'failed')),
  attendance text[] NOT NULL DEFAULT '{}',
  notes text,
  recorded_at timestamptz,
  recorded_by uuid REFERENCES app_user (id),
  scheduled_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX dispute_session_case ON dispute_session (dispute_id, starts_at);
-- A room is booked by one session at a time (sessions last up to two hours).
CREATE INDEX dispute_session_room ON dispute_session (room_id, starts_at) WHERE room_id IS NOT NULL;

CREATE TABLE dispute_agreement (
  dispute_id uuid PRIMARY KEY REFERENCES dispute (id),
  terms text NOT NULL,
  total_amount numeric(14, 2) NOT NULL CHECK (total_amount >= 0),
  agreed_at timestamptz NOT NULL,
  agreed_by uuid REFERENCES app_user (id),
  -- When the last party confirmed: the agreement binds from here (人民调解法 art. 29, 33).
  effective_at timestamptz
);

CREATE TABLE dispute_payment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dispute_id uuid NOT NULL REFERENCES dispute (id),
  seq smallint NOT NULL,
  amount numeric(14, 2) NOT NULL CHECK (amount > 0),
  due_date date NOT NULL,
  paid_amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (paid_amount >= 0),
  paid_at timestamptz,
  reminded_at timestamptz,
  UNIQUE (dispute_id, seq)
);
CREATE INDEX dispute_payment_due ON dispute_payment (due_date) WHERE paid_at IS NULL;

-- The local CourtGateway's record of what was filed (a real court system keeps its own).
CREATE TABLE court_filing (
  reference text PRIMARY KEY,
  dispute_id uuid NOT NULL REFERENCES dispute (id),
  package jsonb NOT NULL,
  filed_at timestamptz NOT NULL
);

-- Messages to the parties of a dispute go through the same outbox as a resident's.
ALTER TABLE outbox ALTER COLUMN appeal_id DROP NOT NULL;
ALTER TABLE outbox ADD COLUMN dispute_id uuid REFERENCES dispute (id);
ALTER TABLE outbox ADD CONSTRAINT outbox_one_subject CHECK (num_nonnulls(appeal_id, dispute_id) = 1);
CREATE INDEX outbox_dispute ON outbox (dispute_id, created_at) WHERE dispute_id IS NOT NULL;

CREATE FUNCTION dispute_set_district_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.district_code IS NULL THEN NEW.district_code := district_code_of_path(NEW.org_path); END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER dispute_district_code BEFORE INSERT ON dispute
  FOR EACH ROW EXECUTE FUNCTION dispute_set_district_code();
