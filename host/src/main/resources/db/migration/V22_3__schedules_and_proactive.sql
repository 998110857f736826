-- Scheduled actions (issue 14): a personality's recurring activity, a cron expression read in a time
-- zone plus a jitter. next_run_at is the jittered time of the run planned at planned_at; a host claims a
-- run by moving next_run_at on with a compare-and-set, so each run happens once per cluster.
CREATE TABLE schedules (
    id             VARCHAR(64)   PRIMARY KEY,
    personality_id VARCHAR(64)   NOT NULL,
    name           VARCHAR(200)  NOT NULL,
    cron           VARCHAR(200)  NOT NULL,
    time_zone      VARCHAR(64)   NOT NULL,
    jitter_seconds INTEGER       NOT NULL,
    action         VARCHAR(16)   NOT NULL,
    platform       VARCHAR(64)   NOT NULL,
    target_user    VARCHAR(200),
    content        VARCHAR(4000) NOT NULL,
    state          VARCHAR(16)   NOT NULL,
    planned_at     TIMESTAMP WITH TIME ZONE,
    next_run_at    TIMESTAMP WITH TIME ZONE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by     VARCHAR(200)  NOT NULL
);
CREATE INDEX schedules_due ON schedules (state, next_run_at);

-- One row per run: what happened (queued, skipped, failed) and why.
CREATE TABLE schedule_runs (
    id          VARCHAR(64)   PRIMARY KEY,
    schedule_id VARCHAR(64)   NOT NULL,
    planned_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ran_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome     VARCHAR(16)   NOT NULL,
    detail      VARCHAR(1000) NOT NULL,
    message_id  VARCHAR(64),
    UNIQUE (schedule_id, planned_at)
);
CREATE INDEX schedule_runs_by_schedule ON schedule_runs (schedule_id, ran_at);

-- Proactive messages with consent: a personality writes first only to a user who opted in on that platform.
CREATE TABLE proactive_consents (
    user_id        VARCHAR(200) NOT NULL,
    platform       VARCHAR(64)  NOT NULL,
    personality_id VARCHAR(64)  NOT NULL,
    max_per_day    INTEGER      NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, platform)
);

-- Every proactive message queued to a user, for the user to see (and for the daily cap).
CREATE TABLE proactive_messages (
    id              VARCHAR(64)   PRIMARY KEY,
    user_id         VARCHAR(200)  NOT NULL,
    platform        VARCHAR(64)   NOT NULL,
    personality_id  VARCHAR(64)   NOT NULL,
    schedule_id     VARCHAR(64)   NOT NULL,
    conversation_id VARCHAR(64)   NOT NULL,
    content         VARCHAR(4000) NOT NULL,
    queued_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX proactive_messages_by_user ON proactive_messages (user_id, platform, queued_at);
