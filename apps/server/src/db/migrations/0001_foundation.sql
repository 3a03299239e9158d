-- Foundation: org tree, staff accounts and sessions, the append-only journal.

CREATE TABLE org_unit (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  level text NOT NULL CHECK (level IN ('city', 'district', 'subdistrict', 'community', 'station', 'grid', 'department', 'center')),
  parent_id integer REFERENCES org_unit (id),
  -- Materialised path of ids, '/1/7/42/': subtree scoping is a prefix test in the query itself.
  path text NOT NULL,
  boundary jsonb,
  min_lng double precision,
  min_lat double precision,
  max_lng double precision,
  max_lat double precision,
  lng double precision,
  lat double precision,
  service_radius_m integer CHECK (service_radius_m IS NULL OR service_radius_m > 0),
  properties jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_unit_parent ON org_unit (parent_id);
CREATE INDEX org_unit_path ON org_unit (path text_pattern_ops);
CREATE INDEX org_unit_level ON org_unit (level);

CREATE FUNCTION org_unit_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.parent_id IS NULL THEN
    NEW.path := '/' || NEW.id || '/';
  ELSE
    SELECT path || NEW.id || '/' INTO NEW.path FROM org_unit WHERE id = NEW.parent_id;
    IF NEW.path IS NULL THEN
      RAISE EXCEPTION 'parent % does not exist', NEW.parent_id;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER org_unit_path_on_insert BEFORE INSERT ON org_unit FOR EACH ROW EXECUTE FUNCTION org_unit_set_path();

CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL,
  display_name text NOT NULL,
  org_id integer NOT NULL REFERENCES org_unit (id),
  roles text[] NOT NULL,
  password_hash text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  must_change_password boolean NOT NULL DEFAULT false,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  -- Personal data, AES-256-GCM ciphertext (see platform/crypto).
  phone_enc text,
  totp_secret_enc text,
  totp_pending_enc text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_user_username ON app_user (lower(username));
CREATE INDEX app_user_org ON app_user (org_id);

CREATE TABLE user_session (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- HMAC of the bearer token: a database leak does not yield usable tokens.
  token_hash text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES app_user (id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ended_reason text,
  ip text,
  user_agent text
);
CREATE INDEX user_session_user ON user_session (user_id) WHERE ended_at IS NULL;

-- The journal: append-only and hash-chained per stream (one stream per appeal, one for security
-- events), so concurrent work on different appeals never waits on one global chain head.
CREATE TABLE journal (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream text NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  at timestamptz NOT NULL,
  actor_id uuid,
  actor_org_id integer,
  action text NOT NULL,
  subject_type text,
  subject_id text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (stream, seq)
);
CREATE INDEX journal_at ON journal (at);
CREATE INDEX journal_action_at ON journal (action, at);
CREATE INDEX journal_subject ON journal (subject_type, subject_id);

CREATE FUNCTION journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the journal is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER journal_no_update BEFORE UPDATE OR DELETE ON journal FOR EACH ROW EXECUTE FUNCTION journal_refuse_change();
CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change();
