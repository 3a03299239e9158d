-- The hourly SMS budget counts, before each SMS delivery, what the gateway accepted in the last
-- hour. Without an index that count reads the whole outbox, which keeps every message ever sent.
CREATE INDEX outbox_sent_by_channel ON outbox (channel, sent_at) WHERE status = 'sent';
