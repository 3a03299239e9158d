-- Outbound messages to residents (SMS, WeChat): the working local adapter of platform/notify.
-- A message is written inside the transaction of the change it announces, so it exists exactly
-- when that change commits; the notify.deliver job then hands it to the gateway and marks it.
-- The recipient is personal data: AES-256-GCM ciphertext at rest, plus a masked copy for display.

CREATE TABLE outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appeal_id uuid NOT NULL REFERENCES appeal (id),
  channel text NOT NULL CHECK (channel IN ('sms', 'wechat')),
  recipient_enc text NOT NULL,
  recipient_masked text NOT NULL,
  template text NOT NULL CHECK (template ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'),
  params jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(params) = 'object'),
  -- The rendered zh-CN text, as the resident receives it.
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  -- Delivery attempts it took (set when sent or given up); the job row holds the retries' errors.
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- The gateway's own message id, for its delivery receipts.
  gateway_ref text,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  failed_at timestamptz,
  CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
  CHECK ((status = 'failed') = (failed_at IS NOT NULL))
);
-- The operator's list, newest first (keyset pagination on created_at, id).
CREATE INDEX outbox_recent ON outbox (created_at DESC, id DESC);
-- What one appeal told its resident.
CREATE INDEX outbox_appeal ON outbox (appeal_id, created_at);
-- Messages still to deliver.
CREATE INDEX outbox_pending ON outbox (created_at) WHERE status = 'pending';
