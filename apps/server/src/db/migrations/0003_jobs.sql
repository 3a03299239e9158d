-- Background jobs: one table taken with SELECT … FOR UPDATE SKIP LOCKED (no broker), shared safely
-- by every app process. All times are written by the application's injected Clock, never now(),
-- so deadline timers are tested by moving a manual clock.

CREATE TABLE job (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts >= 1),
  -- The lease: the worker that claimed the job and until when. A worker that dies mid-run leaves
  -- a lease that simply expires; another worker then takes the job again.
  locked_by text,
  locked_until timestamptz,
  last_error text,
  done_at timestamptz,
  failed_at timestamptz,
  -- "warn appeal X at 75 %": one pending job per key; scheduling the key again moves it.
  dedupe_key text CHECK (dedupe_key IS NULL OR length(dedupe_key) BETWEEN 1 AND 300),
  created_at timestamptz NOT NULL,
  CHECK (done_at IS NULL OR failed_at IS NULL)
);

-- The key is unique among jobs not yet finished; once a job is done or has failed its key is free.
CREATE UNIQUE INDEX job_dedupe_key_pending ON job (dedupe_key) WHERE done_at IS NULL AND failed_at IS NULL;

-- What the workers poll: the unfinished jobs in the order they fall due.
CREATE INDEX job_due ON job (run_at, id) WHERE done_at IS NULL AND failed_at IS NULL;
