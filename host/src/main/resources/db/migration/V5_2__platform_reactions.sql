-- Reactions forwarded by platform connectors become feedback (issue 6, "connectors can forward
-- reactions as feedback").

-- A platform rater is '<platform>:<user>' (users may be up to 128 characters), wider than a key id.
ALTER TABLE feedback ALTER COLUMN rater SET DATA TYPE VARCHAR(200);
-- '<platform>:<reaction external id>' for feedback that came from a platform reaction, NULL for
-- feedback given through the API. Unique, so each reaction is recorded at most once.
ALTER TABLE feedback ADD COLUMN source VARCHAR(300);
CREATE UNIQUE INDEX feedback_once_per_source ON feedback (source);

-- Reactions name the reply by the host's reply id or by the platform's id of the delivered message.
CREATE INDEX outbox_by_reply ON outbox (platform, reply_id);
CREATE INDEX outbox_by_delivered ON outbox (platform, delivered_external_id);
