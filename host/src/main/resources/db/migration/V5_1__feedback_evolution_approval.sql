-- Feedback on replies, evolution runs, and the approval queue (issue 6).

-- One row per feedback event. The reply's personality version and trait vector are copied in, so
-- evolution never needs the conversation tables. One feedback per reply per key.
CREATE TABLE feedback (
    id                  VARCHAR(64)  PRIMARY KEY,
    message_id          VARCHAR(64)  NOT NULL,
    personality_id      VARCHAR(64)  NOT NULL,
    personality_version INTEGER      NOT NULL,
    traits              VARCHAR      NOT NULL,
    rating              DOUBLE PRECISION,
    rating_given        VARCHAR(16),
    critiques           VARCHAR      NOT NULL,
    comment             VARCHAR,
    rater               VARCHAR(64)  NOT NULL,
    reply_length        INTEGER      NOT NULL,
    message_length      INTEGER      NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT feedback_once_per_rater UNIQUE (message_id, rater)
);
CREATE INDEX feedback_by_personality ON feedback (personality_id, created_at);

CREATE TABLE evolution_runs (
    id             VARCHAR(64)  PRIMARY KEY,
    personality_id VARCHAR(64)  NOT NULL,
    state          VARCHAR(16)  NOT NULL,
    seed           BIGINT       NOT NULL,
    generations    INTEGER      NOT NULL,
    population     INTEGER      NOT NULL,
    trust_radius   DOUBLE PRECISION NOT NULL,
    trigger_kind   VARCHAR(16)  NOT NULL,
    requested_by   VARCHAR(64)  NOT NULL,
    progress       VARCHAR      NOT NULL,
    outcome        VARCHAR,
    proposal_id    VARCHAR(64),
    error          VARCHAR,
    feedback_seen  INTEGER      NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX evolution_runs_by_personality ON evolution_runs (personality_id, created_at);

-- Proposals are immutable except for their decision columns; payload is canonical JSON and sha256
-- is the SHA-256 of the canonical form of (kind, subject, base version, payload, proposer, times).
CREATE TABLE proposals (
    id           VARCHAR(64)  PRIMARY KEY,
    kind         VARCHAR(32)  NOT NULL,
    subject      VARCHAR(200) NOT NULL,
    base_version INTEGER,
    payload      VARCHAR      NOT NULL,
    sha256       VARCHAR(64)  NOT NULL,
    proposer     VARCHAR(200) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    decided_by   VARCHAR(200),
    decided_at   TIMESTAMP WITH TIME ZONE,
    reason       VARCHAR,
    result       VARCHAR
);
CREATE INDEX proposals_by_state ON proposals (state, created_at);

-- Append-only: the code never updates or deletes these rows.
CREATE TABLE proposal_audit (
    id          VARCHAR(64)  PRIMARY KEY,
    proposal_id VARCHAR(64)  NOT NULL,
    from_state  VARCHAR(16),
    to_state    VARCHAR(16)  NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    reason      VARCHAR,
    at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX proposal_audit_by_proposal ON proposal_audit (proposal_id, id);
