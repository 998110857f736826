-- One row per inbound platform message: its reply is produced ('answering'), then delivered through
-- the platform's connector ('queued' -> 'sending' -> 'delivered' or 'failed'). The primary key is the
-- stored inbound message id, so each inbound message is answered and delivered at most once; a
-- 'sending' row is claimed until claimed_until, so no two workers (or hosts) send it at the same time.
CREATE TABLE outbox (
    inbound_id            VARCHAR(64)  PRIMARY KEY,
    platform              VARCHAR(64)  NOT NULL,
    inbound_external_id   VARCHAR(200) NOT NULL,
    conversation_id       VARCHAR(64)  NOT NULL,
    personality_id        VARCHAR(64)  NOT NULL,
    reply_to              VARCHAR      NOT NULL DEFAULT '{}',
    reply_id              VARCHAR(64),
    content               VARCHAR,
    state                 VARCHAR(16)  NOT NULL,
    attempts              INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    claimed_until         TIMESTAMP WITH TIME ZONE,
    last_error            VARCHAR,
    delivered_external_id VARCHAR(200),
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX outbox_due ON outbox (platform, state, next_attempt_at);
