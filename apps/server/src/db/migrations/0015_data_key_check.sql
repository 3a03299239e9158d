-- Which data key the personal data of this database is encrypted with: a fingerprint (an HMAC
-- keyed by the data key over a fixed label), never the key. Every process checks it at start, so a
-- node started with another key (say, one that generated its own because DOORSTEP_DATA_KEY was not
-- set) refuses to run instead of writing records the other nodes cannot read.
CREATE TABLE data_key_check (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  fingerprint text NOT NULL,
  recorded_at timestamptz NOT NULL
);
