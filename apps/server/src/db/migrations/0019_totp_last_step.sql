-- The last TOTP time step (30-second window) an account logged in with: a code is good once. An
-- observed code replayed within its window, or a step before it, is refused (RFC 6238 §5.2).
ALTER TABLE app_user ADD COLUMN totp_last_step bigint;
