-- Item-level category models, one line of versions per district (modules/triage): trained by
-- `doorstep triage retrain` from the district's finished appeals (final category, corrections
-- included), with the cross-validated evaluation that justified them. One active model a district.
CREATE TABLE triage_model (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id integer NOT NULL REFERENCES org_unit (id),
  district_path text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  model bytea NOT NULL,
  labels jsonb NOT NULL CHECK (jsonb_typeof(labels) = 'array'),
  evaluation jsonb NOT NULL CHECK (jsonb_typeof(evaluation) = 'object'),
  examples integer NOT NULL CHECK (examples >= 0),
  trained_at timestamptz NOT NULL,
  active boolean NOT NULL DEFAULT false,
  UNIQUE (district_id, version)
);
CREATE UNIQUE INDEX triage_model_active ON triage_model (district_id) WHERE active;
