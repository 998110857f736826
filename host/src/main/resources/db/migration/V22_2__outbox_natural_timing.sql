-- Natural timing (issue 14): a queued reply may wait for typing, jitter, the personality's active hours,
-- a platform's quiet hours or a rate limit before next_attempt_at; held says why, in words, for the
-- people looking at the outbox.
ALTER TABLE outbox ADD COLUMN held VARCHAR(1000);
CREATE INDEX outbox_personality_sends ON outbox (platform, personality_id, next_attempt_at);
