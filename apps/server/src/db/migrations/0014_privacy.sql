-- PIPL: a closed appeal's contact data is erased after the retention period
-- (DOORSTEP_RETENTION_DAYS, `doorstep privacy anonymise`). The appeal, its content and its journal
-- stay: the journal never held the contact, so its hash chains still verify.
ALTER TABLE appeal ADD COLUMN anonymised_at timestamptz;
-- What the next run has to look at: finished appeals not yet anonymised, oldest first.
CREATE INDEX appeal_to_anonymise ON appeal (closed_at) WHERE anonymised_at IS NULL AND closed_at IS NOT NULL;
-- A delivered message keeps its text for the record, but no longer whom it went to.
ALTER TABLE outbox ALTER COLUMN recipient_enc DROP NOT NULL;
