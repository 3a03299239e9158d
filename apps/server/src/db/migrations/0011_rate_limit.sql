-- Request counters of the rate limits (platform/rate-limit), shared by every app process on the
-- same database. One row per limit and key (an HMAC of an IP address or a phone number, never the
-- value itself) for the current fixed window; a new window restarts the row. UNLOGGED: counters
-- need no crash safety, and losing them on a crash only resets the windows.
CREATE UNLOGGED TABLE rate_limit (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  window_ends_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_window_ends_at ON rate_limit (window_ends_at);
